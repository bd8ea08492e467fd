import type { ContainerSpec } from '../model.js';
import type { NormaliseContext } from './context.js';

/**
 * Fields the engine refuses together. `networkMode` replaces the container's own network
 * stack: it excludes `networks`, and `ports` unless it is `bridge` (with `host` they would
 * be silently ignored); `container:NAME` also excludes everything that configures a network stack (moby's
 * "conflicting options" errors, caught before any change).
 */
export function checkExclusiveFields(spec: ContainerSpec, ctx: NormaliseContext): void {
  const mode = spec.networkMode;
  if (mode === undefined) return;
  const clash = (field: string, why = ''): void =>
    ctx.report('E_EXCLUSIVE', ['spec', field], `cannot be used with networkMode: ${mode}${why}`);
  if (spec.networks.length > 0) clash('networks', '; declare one or the other');
  // The engine's default bridge publishes ports like any bridge network.
  if (spec.ports.length > 0 && mode !== 'bridge')
    clash('ports', mode === 'host' ? ' (the host network publishes every port)' : '');
  if (!mode.startsWith('container:')) return;
  const stackFields = [
    'hostname',
    'domainname',
    'dns',
    'dnsSearch',
    'dnsOptions',
    'extraHosts',
    'expose',
  ] as const;
  for (const field of stackFields)
    if (spec[field] !== undefined) clash(field, " (it uses that container's network)");
}

// uid 0 however written (`0`, `00`, `+0`, `-0`: runc parses a uid with Go's strconv.Atoi,
// which takes a sign, so each is root; F109, F187), and an empty user part (`:1000`: the
// engine runs it as uid 0).
const ROOT_USER = /^([+-]?0+|root|)(:.*)?$/;

/** Device drivers a `gpus` request may name under baseline: the engine's GPU driver. */
export const GPU_DRIVERS: ReadonlySet<string> = new Set(['nvidia']);

/**
 * The host access a container asks for, against the policy chosen on the command line:
 * privileged, devices and host namespaces need `--policy privileged`; `--policy
 * restricted` also wants a non-root user, `capDrop: [ALL]` and no host port below 1024.
 */
export function checkContainerPolicy(spec: ContainerSpec, ctx: NormaliseContext): void {
  const policy = ctx.policy;
  const refuse = (path: (string | number)[], text: string): void =>
    ctx.report('E_POLICY', path, `${text} (allowed under --policy privileged)`);
  if (spec.privileged && !policy.allowPrivileged)
    refuse(['spec', 'privileged'], 'is true, but the policy does not allow privileged containers');
  if (!policy.allowHostAccess) {
    if (spec.devices)
      refuse(['spec', 'devices'], 'hands host devices to the container, which the policy forbids');
    // GPUs are the one kind of host device baseline hands out; another device driver (CDI
    // names any device the host's specs describe) is judged as `devices` are.
    const driver = spec.gpus?.driver;
    if (driver !== undefined && !GPU_DRIVERS.has(driver))
      refuse(
        ['spec', 'gpus', 'driver'],
        `asks device driver ${driver} for host devices, which the policy forbids`,
      );
    for (const field of ['networkMode', 'pid', 'ipc'] as const)
      if (spec[field] === 'host')
        refuse(['spec', field], "is host: the host's namespace, which the policy forbids");
  }
  if (!policy.restricted) return;
  const restrictedRule = (path: (string | number)[], text: string): void =>
    ctx.report('E_POLICY', path, `${text} (required by --policy restricted)`);
  // No user, or one a variable left blank, is the image's default: unknown, usually root (F187).
  if (spec.user === undefined || spec.user.trim() === '' || ROOT_USER.test(spec.user.trim()))
    restrictedRule(['spec', 'user'], 'must name a non-root user');
  if (!spec.capDrop?.includes('ALL')) restrictedRule(['spec', 'capDrop'], 'must include ALL');
  // As Kubernetes' restricted profile: only NET_BIND_SERVICE may be added back, and no
  // confinement may be turned off (F109).
  const added = (spec.capAdd ?? []).filter(
    (c) => c.toUpperCase().replace(/^CAP_/, '') !== 'NET_BIND_SERVICE',
  );
  if (added.length)
    restrictedRule(
      ['spec', 'capAdd'],
      `adds ${added.join(', ')}; only NET_BIND_SERVICE may be added`,
    );
  if ((spec.securityOpt ?? []).some((o) => /unconfined|^label[:=]disable$/i.test(o)))
    restrictedRule(['spec', 'securityOpt'], 'turns off seccomp, AppArmor or SELinux confinement');
  const low = spec.ports.find((p) => p.hostPort !== undefined && p.hostPort < 1024);
  if (low)
    restrictedRule(['spec', 'ports'], `publishes host port ${low.hostPort}; use 1024 or above`);
}
