import type { ContainerSpec, DesiredObject } from '../../specs/model.js';

/** Default `update.minReady` (DESIGN.md "Updates and rollback"). */
export const DEFAULT_MIN_READY_MS = 3_000;

/** How the new container proves itself before the old one goes. */
export type UpdateGate =
  /** Its own healthcheck reports `healthy` before `timeoutMs`; `unhealthy` or an exit fails. */
  | { kind: 'healthy'; timeoutMs: number }
  /** Without a healthcheck: running `ms` without exiting. */
  | { kind: 'minReady'; ms: number };

/** How long the gate may take, in ms: the healthcheck's deadline, or `minReady`. */
export function gateMs(gate: UpdateGate): number {
  return gate.kind === 'healthy' ? gate.timeoutMs : gate.ms;
}

/** How one container is replaced, and why in that order. */
export interface UpdatePolicy {
  order: 'start-first' | 'stop-first';
  /** One line for `plan`: `stop-first: host port 127.0.0.1:8080 is held by the running container`. */
  reason: string;
  gate: UpdateGate;
  onFailure: 'rollback' | 'pause';
}

/**
 * The update policy of a container spec (DESIGN.md "Updates and rollback"): the declared
 * order, else start-first unless something only one container can hold forces stop-first —
 * a published host port, the host network, a static address, a writable named volume or bind
 * mount (two containers cannot hold one port or address, and two writers would share the
 * data); the gate from the healthcheck (deadline startPeriod + retries × interval
 * + interval unless `healthTimeout`), else `minReady` (default 3 s). `socketBinds`: the
 * declared BindMounts of type Socket ({@link socketBindsOf}), which force nothing. Pure.
 */
export function updatePolicy(
  spec: ContainerSpec,
  socketBinds: ReadonlySet<string> = new Set(),
): UpdatePolicy {
  const update = spec.update ?? {};
  const { order, reason } = orderOf(spec, socketBinds);
  const check = spec.healthcheck;
  const gate: UpdateGate =
    check && check.command[0] !== 'NONE'
      ? {
          kind: 'healthy',
          timeoutMs:
            update.healthTimeoutMs ??
            check.startPeriodMs + check.retries * check.intervalMs + check.intervalMs,
        }
      : { kind: 'minReady', ms: update.minReadyMs ?? DEFAULT_MIN_READY_MS };
  return { order, reason: `${order}: ${reason}`, gate, onFailure: update.onFailure ?? 'rollback' };
}

function orderOf(
  spec: ContainerSpec,
  socketBinds: ReadonlySet<string>,
): { order: UpdatePolicy['order']; reason: string } {
  if (spec.update?.order)
    return { order: spec.update.order, reason: 'declared in spec.update.order' };
  const held = exclusiveResource(spec, socketBinds);
  return held
    ? { order: 'stop-first', reason: held }
    : { order: 'start-first', reason: 'no host port, address or writable volume is held' };
}

/**
 * What the running container holds that its replacement cannot hold beside it, in words for
 * `plan`, or undefined. A published host port; the host's network (its ports are the host's,
 * F185); a declared static address (the `-next` container cannot take it: every update
 * failed with "Address already in use", F185); a writable named volume or bind mount (two
 * writers on one store during the gate; an app that locks it fails the gate, F185). A bind
 * mount of a socket (`/var/run/docker.sock` for traefik or portainer) is no store: a socket
 * is made for many clients at once, so old and new both connecting is what it is for, and
 * it kept such services from start-first's update without downtime (F252). A single-file
 * bind mount still counts: the file may be a database (SQLite) its writer locks.
 */
function exclusiveResource(
  spec: ContainerSpec,
  socketBinds: ReadonlySet<string>,
): string | undefined {
  if (spec.networkMode === 'host')
    return "the host network (its ports are the host's) is held by the running container";
  const published = spec.ports.find((p) => p.hostPort !== undefined);
  if (published) {
    const ip = published.hostIP || '0.0.0.0';
    // A range too: the old container may hold the only free port of it.
    // F813: "host port a port of …" read badly; a range says which ports.
    const port = published.hostPortEnd
      ? `host ports ${ip}:${published.hostPort}-${published.hostPortEnd} are`
      : `host port ${ip}:${published.hostPort} is`;
    return `${port} held by the running container`;
  }
  const fixed = spec.networks.find((n) => n.ipv4Address ?? n.ipv6Address);
  if (fixed)
    return `address ${fixed.ipv4Address ?? fixed.ipv6Address} on network ${fixed.network} is held by the running container`;
  for (const mount of spec.mounts) {
    if (mount.type === 'volume' && !mount.readOnly)
      return `volume ${mount.volume} is written by the running container`;
    if (mount.type === 'bind' && !mount.readOnly && !socketBinds.has(mount.bindMount))
      return `bind mount ${mount.bindMount} is written by the running container`;
  }
  return undefined;
}

/**
 * Whether a replacement goes through the update path (a gate, start-first or stop-first)
 * rather than a plain recreate: only a container that runs now and is declared running has
 * traffic to keep; one whose network is gone cannot serve anyway. A crash-looping one
 * (`restarting`: the engine's restart policy brings it back) is running as far as the
 * declaration goes, and the fix of a crash loop is the commonest update of all: it takes the
 * declared order and gate too, so a fix that still fails is caught by the gate (F107).
 */
export function updatesInPlace(
  spec: ContainerSpec,
  observedState: string,
  replaceCause: string | undefined,
  networkGone: string | undefined,
): boolean {
  return (
    replaceCause !== undefined &&
    !networkGone &&
    (observedState === 'running' || observedState === 'restarting') &&
    spec.state === 'running'
  );
}

/**
 * The steps of an update in the order they run, for `plan` (one per engine call, plus the
 * health gate's wait). The update path (update/replace.ts) runs exactly these; its test
 * checks the two agree.
 */
export function updateOps(
  order: UpdatePolicy['order'],
): ('create' | 'start' | 'gate' | 'stop' | 'remove' | 'rename')[] {
  return order === 'start-first'
    ? ['create', 'start', 'gate', 'stop', 'remove', 'rename']
    : ['rename', 'stop', 'create', 'start', 'gate', 'remove'];
}

/** The gate in words, for `plan`: "healthy within 60s" or "running 3s without exiting (minReady)". */
export function gateText(gate: UpdateGate): string {
  const s = (ms: number) => `${Math.round(ms / 100) / 10}s`;
  return gate.kind === 'healthy'
    ? `health gate: healthy within ${s(gate.timeoutMs)}`
    : `health gate: running ${s(gate.ms)} without exiting (minReady)`;
}

/** The names of the declared BindMounts of type Socket: what {@link updatePolicy} leaves out. */
export function socketBindsOf(desired: readonly DesiredObject[]): Set<string> {
  return new Set(
    desired.filter((o) => o.kind === 'BindMount' && o.spec.type === 'Socket').map((o) => o.name),
  );
}
