import { isAbsolute, resolve } from 'node:path';
import { hostPathViolation, type Policy } from '../policy.js';
import { GPU_DRIVERS } from '../normalise/container-checks.js';
import { realHostPath } from '../read/real-path.js';
import { isRecord } from './located.js';
import { splitVolume } from './normalise.js';
import { lose, type ImportedObject, type ImportState } from './state.js';
import { hasVariable } from './values.js';
import { interpolate } from '../interpolate/resolve.js';

/** The policy import fits its output to, and the name `--policy` gave it (for the messages). */
export interface ImportPolicy {
  policy: Policy;
  name: string;
}

/**
 * Fits an imported set to the policy it will be applied under (import's `--policy` and
 * `--allow-host-path`, baseline by default; DESIGN.md "Policy"), so that what import writes
 * passes `berth validate` under the same flags. Compose asks no one before it mounts the
 * engine's socket or `/etc/localtime`, runs a container privileged or in the host's network;
 * berth's policy is chosen by whoever runs it, never by the manifests. What that policy
 * refuses is left out of the container, named as a loss at its Compose line with the flag that
 * keeps it, and written as a comment above the container so it can be put back by hand.
 * BindMount objects no container uses any more are dropped. A host path holding a variable is
 * judged by the value the project's variables set it to, as `berth validate` of the output
 * does; one that reads an unset variable is not judged (its value is known only when applied).
 */
export function fitPolicy(state: ImportState, fit: ImportPolicy): void {
  const { policy } = fit;
  const usedBefore = usedBindMounts(state);
  for (const o of state.objects.values()) {
    if (o.kind !== 'Container') continue;
    const service = o.source.replace(/^services\./, '');
    const tree = state.project.services[service] ?? {};
    const drop = (field: string, value: string, why: string, keep: string): void => {
      delete o.spec[specField(field)];
      // The engine's `host` network named under `networks:` is networkMode host too.
      const key = field === 'network_mode' && !(field in tree) ? 'networks' : field;
      lose(state, tree, key, `services.${service}.${key}`, `${why}; ${keepText(fit, keep)}`);
      o.notes.push(`left out under the ${fit.name} policy: ${field}: ${value} (${keep} keeps it)`);
    };
    if (o.spec.privileged === true && !policy.allowPrivileged)
      drop('privileged', 'true', 'a privileged container', '--policy privileged');
    if (!policy.allowHostAccess) {
      if (Array.isArray(o.spec.devices) && o.spec.devices.length)
        drop('devices', o.spec.devices.join(', '), 'host devices', '--policy privileged');
      const gpus = o.spec.gpus;
      if (isRecord(gpus) && typeof gpus.driver === 'string' && !GPU_DRIVERS.has(gpus.driver))
        drop('gpus', `driver ${gpus.driver}`, 'host devices', '--policy privileged');
      for (const key of ['network_mode', 'pid', 'ipc'])
        if (o.spec[specField(key)] === 'host')
          drop(key, 'host', "the host's namespace", '--policy privileged');
    }
    fitBindMounts(state, o, service, tree, fit);
  }
  const used = usedBindMounts(state);
  for (const [key, o] of state.objects)
    if (o.kind === 'BindMount' && usedBefore.has(o.name) && !used.has(o.name))
      state.objects.delete(key);
}

/** The berth field a Compose key became (service-network.ts). */
function specField(key: string): string {
  return key === 'network_mode' ? 'networkMode' : key;
}

function keepText(fit: ImportPolicy, flag: string): string {
  return `not carried under the ${fit.name} policy (import and apply with ${flag} to keep it)`;
}

function fitBindMounts(
  state: ImportState,
  o: ImportedObject,
  service: string,
  tree: Record<string, unknown>,
  fit: ImportPolicy,
): void {
  if (!Array.isArray(o.spec.mounts)) return;
  const mounts = o.spec.mounts as Record<string, unknown>[];
  const volumes = Array.isArray(tree.volumes) ? tree.volumes : [];
  const kept = mounts.filter((mount) => {
    if (typeof mount.bindMount !== 'string') return true;
    const bind = state.objects.get(`BindMount/${mount.bindMount}`);
    const written = bind?.spec.hostPath;
    if (typeof written !== 'string') return true;
    const hostPath = resolvedHostPath(state, written);
    if (hostPath === undefined) return true;
    const absolute = isAbsolute(hostPath) ? hostPath : resolve(state.outDir, hostPath);
    const why = hostPathViolation(absolute, fit.policy, realHostPath);
    if (!why) return true;
    const i = volumes.findIndex((entry) => volumeTarget(entry) === mount.target);
    const at = i >= 0 ? i : 'volumes';
    const path = i >= 0 ? `services.${service}.volumes[${i}]` : `services.${service}.volumes`;
    const keep = `--allow-host-path ${hostPath}`;
    lose(state, i >= 0 ? volumes : tree, at, path, `${why}; ${keepText(fit, keep)}`);
    const shown = written === hostPath ? hostPath : `${written} (${hostPath} here)`;
    o.notes.push(
      `left out under the ${fit.name} policy: the bind mount of ${shown} at ${String(mount.target)} (${keep} keeps it)`,
    );
    return false;
  });
  if (kept.length) o.spec.mounts = kept;
  else delete o.spec.mounts;
}

/**
 * A BindMount's host path as `berth validate` of the output will judge it: a path holding
 * variables resolved with the project's values for them (the environment, then the `.env`
 * import copies beside the manifests; the OpenTelemetry demo's `${DOCKER_SOCK}` is
 * /var/run/docker.sock there). Undefined when a variable it reads is unset, even one with a
 * default (`${DATA:-/etc/data}`): not judged, as its value is the one set when applied.
 */
function resolvedHostPath(state: ImportState, written: string): string | undefined {
  if (!hasVariable(written)) return written;
  let unset = false;
  const resolved = interpolate(written, (name) => {
    const value = state.variables(name);
    if (value === undefined) unset = true;
    return value;
  });
  return !unset && 'value' in resolved && resolved.value !== '' ? resolved.value : undefined;
}

/** The container path of a Compose `volumes:` entry, short or long syntax. */
function volumeTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return splitVolume(entry)[1];
  if (isRecord(entry) && typeof entry.target === 'string') return entry.target;
  return undefined;
}

/** Names of the BindMount objects some container mounts. */
function usedBindMounts(state: ImportState): Set<string> {
  const used = new Set<string>();
  for (const o of state.objects.values())
    if (o.kind === 'Container' && Array.isArray(o.spec.mounts))
      for (const m of o.spec.mounts as Record<string, unknown>[])
        if (typeof m.bindMount === 'string') used.add(m.bindMount);
  return used;
}
