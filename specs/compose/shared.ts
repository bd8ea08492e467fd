import { variablePath } from './variable-paths.js';
import { existsSync, statSync } from 'node:fs';
import { isRecord, whereKey } from './located.js';
import { addObject, berthName, lose, manifestPath, whereIn } from './state.js';
import type { ImportedObject, ImportState } from './state.js';
import type { Where } from './located.js';
import { flag, text } from './values.js';
import { isBindVolume } from '../volume-options.js';

/**
 * Top-level Compose objects (networks, volumes, secrets, configs) → berth objects. Each is
 * made once, on first use or at the end for declared-but-unused ones, and named with the
 * DNS label of its Compose name; a Compose `name:` is carried as `spec.name`, the engine name
 * (F134), as written (variables included).
 */

const NETWORK_DRIVERS = new Set(['bridge', 'host', 'none', 'macvlan', 'ipvlan', 'overlay']);

/**
 * The berth object for a top-level Compose network or volume (declared or not; an external
 * one is used by name); `carry` maps the declared fields. Returns its metadata.name.
 */
function declaredObject(
  state: ImportState,
  kind: 'Network' | 'Volume',
  composeName: string,
  carry: (def: Record<string, unknown>, path: string, spec: Record<string, unknown>) => void,
): string {
  const section = kind === 'Network' ? 'networks' : 'volumes';
  const name = berthName(state, kind.toLowerCase(), composeName);
  if (state.objects.has(`${kind}/${name}`)) return name;
  const all = state.project[section];
  const def = isRecord(all[composeName]) ? all[composeName] : {};
  const path = `${section}.${composeName}`;
  const spec: Record<string, unknown> = {};
  const external = externalName(def, composeName);
  if (external !== undefined) Object.assign(spec, { external: true, name: external });
  else carry(def, path, spec);
  const undeclared = kind === 'Volume' ? state.undeclaredVolumes.get(composeName) : undefined;
  const notes = undeclared
    ? [`not declared under volumes: in the Compose files: a project volume, as Coolify declares it`]
    : composeName in all
      ? []
      : [`not declared under ${section}: in the Compose file`];
  addTopLevel(state, { kind, name, spec }, { def, path, all, composeName, undeclared }, notes);
  return name;
}

/** Where a top-level Compose object was declared: its mapping, path and section. */
interface Declared {
  def: Record<string, unknown>;
  path: string;
  all: Record<string, unknown>;
  composeName: string;
  /** Where a volume no file declares is first used (it has no position of its own). */
  undeclared?: Where | undefined;
}

/** Adds a berth object made from a top-level Compose object, with its labels and position. */
function addTopLevel(
  state: ImportState,
  object: Pick<ImportedObject, 'kind' | 'name' | 'spec'>,
  from: Declared,
  notes: string[],
): void {
  addObject(state, {
    ...object,
    labels: stringLabels(from.def.labels),
    source: from.path,
    from: from.undeclared ?? whereKey(from.all, from.composeName),
    notes,
  });
}

/**
 * `host` or `none` when Compose network `composeName` is the engine's own host/none network
 * (`driver: host|none`, or external with that name): it is no berth Network (the engine
 * creates no second one and connects no container to it), the service gets `networkMode`.
 */
export function modeNetwork(state: ImportState, composeName: string): 'host' | 'none' | undefined {
  const def = state.project.networks[composeName];
  if (!isRecord(def)) return undefined;
  const mode = externalName(def, composeName) ?? (typeof def.driver === 'string' && def.driver);
  return mode === 'host' || mode === 'none' ? mode : undefined;
}

/** The Network object for Compose network `name`; returns its metadata.name. */
export function networkObject(state: ImportState, composeName: string): string {
  return declaredObject(state, 'Network', composeName, (def, path, spec) =>
    carryNetwork(state, def, path, spec),
  );
}

function carryNetwork(
  state: ImportState,
  def: Record<string, unknown>,
  path: string,
  spec: Record<string, unknown>,
): void {
  for (const [key, value] of Object.entries(def)) {
    if (key === 'driver') {
      if (NETWORK_DRIVERS.has(String(value))) spec.driver = value;
      else lose(state, def, key, `${path}.driver`, `driver ${text(value)} is not one berth knows`);
    } else if (key === 'driver_opts') spec.options = stringLabels(value);
    else if (key === 'internal' || key === 'attachable') carryFlag(state, def, key, path, spec);
    else if (key === 'ipam') carryIpam(state, value, `${path}.ipam`, spec);
    else if (key === 'name') spec.name = text(value);
    else if (key === 'enable_ipv6') carryIPv6(state, def, path, spec);
    else if (key === 'external' && flag(value) === false) continue;
    else if (key !== 'labels' && !key.startsWith('x-'))
      lose(state, def, key, `${path}.${key}`, 'no berth Network field');
  }
}

/**
 * A boolean network field as Compose reads it (compose-go casts `"true"`, `yes`, `on`…):
 * true, false, or a `${…}` kept as written (validate casts it). Anything else is a loss,
 * never a silent `false`: an `internal: "true"` network dropped to a routed one is a
 * network the app meant to keep off the outside.
 */
function carryFlag(
  state: ImportState,
  def: Record<string, unknown>,
  key: 'internal' | 'attachable',
  path: string,
  spec: Record<string, unknown>,
): void {
  const value = flag(def[key]);
  if (value === undefined) lose(state, def, key, `${path}.${key}`, 'not a boolean');
  else spec[key] = value;
}

/** `enable_ipv6` as `enableIPv6`: true or a `${…}` kept for validate to cast; false is the default. */
function carryIPv6(
  state: ImportState,
  def: Record<string, unknown>,
  path: string,
  spec: Record<string, unknown>,
): void {
  const value = flag(def.enable_ipv6);
  if (value === undefined) lose(state, def, 'enable_ipv6', `${path}.enable_ipv6`, 'not a boolean');
  else if (value !== false) spec.enableIPv6 = value;
}

/** Compose `ipam.config[]` keys → berth's ipam entry fields (`aux_addresses` is a mapping). */
const IPAM_FIELDS: Record<string, string> = {
  subnet: 'subnet',
  gateway: 'gateway',
  ip_range: 'ipRange',
  aux_addresses: 'auxAddresses',
};

/** `ipam.config` as berth's `ipam`: one entry as a mapping, several (IPv4 and IPv6) as a list. */
function carryIpam(
  state: ImportState,
  ipam: unknown,
  path: string,
  spec: Record<string, unknown>,
): void {
  if (!isRecord(ipam)) return;
  const configs = Array.isArray(ipam.config) ? ipam.config : [];
  const entries = configs.flatMap((config, i) => {
    if (!isRecord(config)) return [];
    for (const k of Object.keys(config))
      if (!(k in IPAM_FIELDS))
        lose(
          state,
          config,
          k,
          `${path}.config[${i}].${k}`,
          'berth IPAM has subnet, gateway, ip_range and aux_addresses only',
        );
    const entry: Record<string, unknown> = {};
    for (const [k, field] of Object.entries(IPAM_FIELDS)) {
      const value = config[k];
      if (value === undefined) continue;
      entry[field] = isRecord(value)
        ? Object.fromEntries(Object.entries(value).map(([host, ip]) => [host, text(ip)]))
        : text(value);
    }
    return [entry];
  });
  if (entries.length) spec.ipam = entries.length === 1 ? entries[0] : entries;
  for (const k of Object.keys(ipam))
    if (k !== 'config' && !(k === 'driver' && ipam.driver === 'default'))
      lose(state, ipam, k, `${path}.${k}`, 'no berth IPAM field');
}

/** The Volume object for Compose volume `name` (declared or not); returns its metadata.name. */
export function volumeObject(state: ImportState, composeName: string): string {
  return declaredObject(state, 'Volume', composeName, (def, path, spec) => {
    // An undeclared volume has no docker compose data to keep: Compose refuses the file.
    if (def.name === undefined && !state.undeclaredVolumes.has(composeName))
      warnComposeVolume(state, composeName, path);
    for (const [key, value] of Object.entries(def)) {
      if (key === 'driver') spec.driver = text(value);
      else if (key === 'driver_opts') spec.options = volumeOptions(state, stringLabels(value));
      else if (key === 'name') spec.name = text(value);
      else if (key === 'external' && flag(value) === false) continue;
      else if (key !== 'labels' && !key.startsWith('x-'))
        lose(state, def, key, `${path}.${key}`, 'no berth Volume field');
    }
  });
}

/**
 * F160: docker compose keeps a named volume's data in `<project>_<name>`; berth's volume of the
 * same project is `<project>-<name>`, a new, empty one. Import cannot see the engine, so it
 * says so as a warning (a new project loses nothing), with what keeps a running project's data.
 */
function warnComposeVolume(state: ImportState, composeName: string, path: string): void {
  const compose = `${state.projectName}_${composeName}`;
  const berth = `${state.projectName}-${berthName(state, 'volume', composeName)}`;
  state.warnings.push({
    where: whereIn(state, state.project.volumes, composeName),
    message:
      `${path}: docker compose keeps this volume's data in ${compose}; berth creates ${berth}, empty. ` +
      `Moving a running Compose project: declare the Volume {external: true, name: ${compose}} to keep ` +
      `using that data (berth never adopts docker compose's volume)`,
  });
}

/** Volume options as written to a manifest: a bind volume's folder relative to the output, as written. */
function volumeOptions(
  state: ImportState,
  options: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!options || !isBindVolume(options) || options.device === undefined) return options;
  return { ...options, device: manifestPath(state, options.device) };
}

/** An anonymous volume of a service becomes a named Volume (it keeps its data across recreates). */
export function anonymousVolume(
  state: ImportState,
  service: string,
  index: number,
  target: string,
): string {
  const name = berthName(state, 'volume', `${service}-${target.replace(/^\/+/, '') || 'data'}`);
  addObject(state, {
    kind: 'Volume',
    name,
    spec: {},
    source: `services.${service}.volumes[${index}]`,
    notes: [`anonymous volume of ${service} at ${target}`],
  });
  return name;
}

/**
 * The BindMount object for a host path; one per path, named after its last part. A missing
 * path is created when `createIfMissing` says so (`'file'`: an empty file, else a folder).
 */
export function bindMountObject(
  state: ImportState,
  hostPath: string,
  from: string,
  createIfMissing: boolean | 'file',
): string {
  const fromVariable = variablePath(state, hostPath, 'hostPath');
  if (fromVariable) hostPath = fromVariable.absolute;
  const written = manifestPath(state, hostPath);
  for (const o of state.objects.values())
    if (o.kind === 'BindMount' && o.spec.hostPath === written) return o.name;
  const last = hostPath.split('/').filter(Boolean).pop() ?? 'root';
  const name = berthName(state, 'bindmount', hostPath, last);
  addObject(state, {
    kind: 'BindMount',
    name,
    spec: { hostPath: written, type: bindType(hostPath, createIfMissing) },
    source: from,
    notes: fromVariable ? [fromVariable.note] : [],
  });
  return name;
}

/**
 * The BindMount type for a Compose bind source: what the path is on this host when it exists
 * (the engine mounts a file, a directory or a socket alike); a missing `*.sock` is a socket (the
 * engine's own `/var/run/docker.sock` is the most common bind in Compose files, and import may run
 * where the app does not); otherwise a directory, created when Compose would create it.
 */
function bindType(hostPath: string, createIfMissing: boolean | 'file'): string {
  if (hostPath.startsWith('$')) return 'DirectoryOrCreate';
  if (existsSync(hostPath)) {
    const s = statSync(hostPath);
    return s.isDirectory() ? 'Directory' : s.isSocket() ? 'Socket' : 'File';
  }
  if (hostPath.endsWith('.sock')) return 'Socket';
  if (createIfMissing === 'file') return 'FileOrCreate';
  return createIfMissing ? 'DirectoryOrCreate' : 'Directory';
}

/** The Secret or Config object for a Compose secret/config; undefined when it cannot be carried. */
export function fileObject(
  state: ImportState,
  kind: 'Secret' | 'Config',
  composeName: string,
): string | undefined {
  const section = kind === 'Secret' ? 'secrets' : 'configs';
  const all = kind === 'Secret' ? state.project.secrets : state.project.configs;
  const name = berthName(state, section, composeName);
  if (state.objects.has(`${kind}/${name}`)) return name;
  const def = all[composeName];
  const path = `${section}.${composeName}`;
  if (!isRecord(def)) return undefined;
  const spec: Record<string, unknown> = {};
  const fromVariable =
    typeof def.file === 'string' ? variablePath(state, def.file, 'file') : undefined;
  if (fromVariable) spec.file = manifestPath(state, fromVariable.absolute);
  else if (typeof def.file === 'string') spec.file = manifestPath(state, def.file);
  else if (typeof def.environment === 'string') spec.env = def.environment;
  else if (kind === 'Config' && typeof def.content === 'string') spec.content = def.content;
  else {
    const key = 'external' in def ? 'external' : (Object.keys(def)[0] ?? composeName);
    lose(
      state,
      'external' in def ? def : all,
      'external' in def ? key : composeName,
      path,
      'external' in def
        ? externalWhy(kind, text(def.name ?? composeName))
        : `only ${kind === 'Config' ? 'file:, environment: and content:' : 'file: and environment:'} ${section} can be carried`,
    );
    return undefined;
  }
  for (const k of Object.keys(def))
    if (!['file', 'environment', 'content', 'name', 'labels'].includes(k) && !k.startsWith('x-'))
      lose(state, def, k, `${path}.${k}`, `no berth ${kind} field`);
  addTopLevel(
    state,
    { kind, name, spec },
    { def, path, all, composeName },
    fromVariable ? [fromVariable.note] : [],
  );
  return name;
}

/**
 * An external secret or config is a swarm object (`docker secret create`): docker compose up
 * itself refuses a service that uses one outside a swarm (pkg/compose/create.go: "unsupported
 * external secret NAME"), so there is no value on this engine to carry.
 */
function externalWhy(kind: 'Secret' | 'Config', name: string): string {
  const word = kind === 'Secret' ? 'secret' : 'config';
  return (
    `external: a swarm ${word} (docker ${word} create); docker compose up refuses it outside a ` +
    `swarm too ("unsupported external ${word} ${name}"): declare it with file: or environment:`
  );
}

function externalName(def: Record<string, unknown>, composeName: string): string | undefined {
  // compose-go casts `external: "true"` (a string, or a variable's value) to a boolean.
  const ext = isRecord(def.external) ? def.external : flag(def.external);
  if (ext === true) return typeof def.name === 'string' ? def.name : composeName;
  if (isRecord(ext)) return typeof ext.name === 'string' ? ext.name : composeName;
  return undefined;
}

/** Labels (list or map) as a string map; undefined when empty. */
export function stringLabels(value: unknown): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  if (Array.isArray(value))
    for (const item of value) {
      const s = String(item);
      const at = s.indexOf('=');
      out[at < 0 ? s : s.slice(0, at)] = at < 0 ? '' : s.slice(at + 1);
    }
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) out[k] = text(v);
  return Object.keys(out).length ? out : undefined;
}
