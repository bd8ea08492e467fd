import type { ContainerMount, ContainerSpec, Healthcheck, Resources } from '../model.js';
import type * as Raw from '../types.generated.js';
import { parseDuration, parseQuantity } from '../validate/values.js';
import { stringMap } from './context.js';
import { copyText, scalarString } from '../parse/scalar-text.js';
import { normaliseFileMount } from './file-value.js';
import type { NormaliseContext } from './context.js';
import { namespaceTargets } from '../check-container-links.js';
import { checkContainerPolicy, checkExclusiveFields } from './container-checks.js';
import { checkContainerValues } from './container-values.js';
import { readEnvFiles } from './container-env.js';
import { normaliseNetworkAttachments } from './container-networks.js';
import { normaliseExpose, normalisePorts } from './container-ports.js';
import { normaliseRuntime } from './container-runtime.js';
import { checkDuplicateMounts, checkDuplicateNetworks } from './container-duplicates.js';
import { cleanContainerPath } from './paths.js';

const DEFAULT_STOP_GRACE_MS = 10_000;
const HEALTHCHECK_DEFAULTS = {
  intervalMs: 30_000,
  timeoutMs: 30_000,
  retries: 3,
  startPeriodMs: 0,
};

/**
 * Container: every spelling brought to one form, defaults filled in. `image` is left as
 * written (`{ ref }`); linking against the set decides whether it names an Image object.
 * Env files are read here (relative to the manifest) and merged under `env`.
 */
export async function normaliseContainer(
  raw: Raw.ContainerSpec,
  ctx: NormaliseContext,
): Promise<ContainerSpec> {
  const ownEnv = normaliseEnv(raw.env, ctx);
  const fromFiles = await readEnvFiles(raw.envFiles, ctx, ownEnv);
  const spec: ContainerSpec = {
    image: { ref: raw.image },
    state: raw.state ?? 'running',
    env: stringMap({ ...fromFiles.values, ...ownEnv }),
    ports: normalisePorts(raw.ports, ctx),
    networks: normaliseNetworkAttachments(raw.networks, ctx),
    mounts: (raw.mounts ?? []).map((mount, i) => normaliseMount(mount, i, ctx)),
    restartPolicy: raw.restartPolicy ?? 'Always',
    dependsOn: (raw.dependsOn ?? []).map((d) => ({
      container: d.container,
      condition: d.condition ?? 'started',
      ...(d.restart === true && { restart: true as const }),
    })),
    resources: normaliseResources(raw.resources, ctx),
    stopGracePeriodMs:
      duration(raw.stopGracePeriod, ['spec', 'stopGracePeriod'], ctx) ?? DEFAULT_STOP_GRACE_MS,
    privileged: raw.privileged ?? false,
    init: raw.init ?? false,
  };
  if (raw.restartMaxRetries !== undefined) {
    if (spec.restartPolicy === 'OnFailure') spec.restartMaxRetries = raw.restartMaxRetries;
    else
      ctx.report(
        'E_EXCLUSIVE',
        ['spec', 'restartMaxRetries'],
        `can only be used with restartPolicy OnFailure (restartPolicy is ${spec.restartPolicy})`,
      );
  }
  if (raw.replicas !== undefined && raw.replicas !== 1) spec.replicas = raw.replicas;
  if (raw.command) spec.command = [...raw.command];
  if (raw.args) spec.args = [...raw.args];
  if (raw.healthcheck) spec.healthcheck = normaliseHealthcheck(raw.healthcheck, ctx);
  if (raw.update) spec.update = normaliseUpdate(raw.update, ctx);
  if (raw.user !== undefined) spec.user = raw.user;
  if (raw.workingDir !== undefined) spec.workingDir = raw.workingDir;
  Object.assign(spec, normaliseRuntime(raw, ctx));
  if (fromFiles.paths.length > 0) spec.envFiles = fromFiles.paths;
  const expose = normaliseExpose(raw.expose, ctx);
  if (expose) spec.expose = expose;
  const shm = quantity(raw.shmSize, ['spec', 'shmSize'], ctx);
  if (shm !== undefined) spec.shmSizeBytes = shm;
  spec.dependsOn.push(...implicitDependencies(spec));
  checkExclusiveFields(spec, ctx);
  checkContainerValues(spec, ctx);
  checkDuplicateMounts(raw.mounts, spec, ctx);
  checkDuplicateNetworks(raw.networks, spec, ctx);
  checkContainerPolicy(spec, ctx);
  return spec;
}

/**
 * `container:NAME` in networkMode, ipc or pid needs NAME to exist (and run) first: it
 * becomes a `started` dependency unless one is declared, as Compose does for
 * `network_mode: service:NAME`.
 */
function implicitDependencies(spec: ContainerSpec): ContainerSpec['dependsOn'] {
  const names = namespaceTargets(spec).filter(
    (name) => !spec.dependsOn.some((d) => d.container === name),
  );
  return [...new Set(names)].map((container) => ({ container, condition: 'started' as const }));
}

function duration(
  value: string | number | undefined,
  path: (string | number)[],
  ctx: NormaliseContext,
): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined)
    ctx.report(
      'E_DURATION',
      path,
      `${JSON.stringify(value)} is not a duration such as 5s, 1m30s or 500ms`,
    );
  return ms;
}

function quantity(
  value: string | number | undefined,
  path: (string | number)[],
  ctx: NormaliseContext,
): number | undefined {
  if (value === undefined) return undefined;
  const bytes = parseQuantity(value);
  if (bytes === undefined)
    ctx.report(
      'E_QUANTITY',
      path,
      `${JSON.stringify(value)} is not a quantity such as 256Mi, 1G or 512k`,
    );
  return bytes;
}

/**
 * A list of {name, value} or a map. A name twice in the list is refused with both
 * positions (issue 19 item 8; Compose refuses it, Kubernetes warns): the last would
 * silently win. Numbers and booleans keep their written text (`scalarString`). A map entry
 * without a value (`NAME:`, null) passes the project's variable through (F129), as
 * Compose's `environment: [NAME]` does: its value when set, left out when not.
 */
function normaliseEnv(
  env: Raw.ContainerSpec['env'],
  ctx: NormaliseContext,
): Record<string, string> {
  if (!Array.isArray(env)) return stringMap(passedThrough(env, ctx));
  const map: Record<string, string> = {};
  const firstIndex = new Map<string, number>();
  for (const [index, entry] of env.entries()) {
    const first = firstIndex.get(entry.name);
    if (first !== undefined) {
      const at = ctx.locate(['spec', 'env', first, 'name']);
      const where = `${at.file}:${at.line}:${at.column}`;
      ctx.report(
        'E_DUPLICATE_ENV',
        ['spec', 'env', index, 'name'],
        `${entry.name} is declared twice; first at ${where} (spec.env[${first}])`,
      );
      continue;
    }
    firstIndex.set(entry.name, index);
    map[entry.name] = entry.value === undefined ? '' : scalarString(entry, 'value');
  }
  return stringMap(map);
}

/** A map env with its value-less entries resolved from the project's variables, or left out. */
function passedThrough(
  env: Raw.EnvMap | undefined,
  ctx: NormaliseContext,
): Record<string, string | number | boolean> {
  if (!env || !Object.values(env).includes(null))
    return (env ?? {}) as Record<string, string | number | boolean>;
  const out: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== null) {
      out[name] = value;
      copyText(env, name, out, name); // `1.10` stays as written
      continue;
    }
    const inherited = ctx.variables?.(name);
    if (inherited !== undefined) out[name] = inherited;
  }
  return out;
}

function normaliseMount(
  mount: Raw.BindMountMount | Raw.VolumeMount | Raw.SecretMount | Raw.ConfigMount | Raw.TmpfsMount,
  index: number,
  ctx: NormaliseContext,
): ContainerMount {
  if ('secret' in mount || 'config' in mount) return normaliseFileMount(mount);
  if ('bindMount' in mount) {
    const bind: ContainerMount = {
      type: 'bind',
      bindMount: mount.bindMount,
      target: cleanContainerPath(mount.target),
      readOnly: mount.readOnly ?? false,
    };
    if (mount.propagation !== undefined) bind.propagation = mount.propagation;
    if (mount.selinux !== undefined) bind.selinux = mount.selinux;
    return bind;
  }
  if ('volume' in mount) {
    const volume: ContainerMount = {
      type: 'volume',
      volume: mount.volume,
      target: cleanContainerPath(mount.target),
      readOnly: mount.readOnly ?? false,
    };
    if (mount.subpath !== undefined) volume.subpath = mount.subpath;
    if (mount.noCopy) volume.noCopy = true;
    if (mount.selinux !== undefined) volume.selinux = mount.selinux;
    if (mount.selinux !== undefined && mount.subpath !== undefined)
      ctx.report(
        'E_SCHEMA',
        ['spec', 'mounts', index, 'selinux'],
        'cannot go with subpath: the engine relabels a volume only in its bind syntax, which has no subpath',
      );
    return volume;
  }
  const tmpfs: ContainerMount = { type: 'tmpfs', target: cleanContainerPath(mount.tmpfs) };
  const size = quantity(mount.size, ['spec', 'mounts', index, 'size'], ctx);
  if (size !== undefined) tmpfs.sizeBytes = size;
  const mode = tmpfsMode(mount.mode, ['spec', 'mounts', index, 'mode'], ctx);
  if (mode !== undefined) tmpfs.mode = mode;
  if (mount.uid !== undefined) tmpfs.uid = mount.uid;
  if (mount.gid !== undefined) tmpfs.gid = mount.gid;
  if (mount.options?.length) tmpfs.options = [...mount.options];
  return tmpfs;
}

/** `"1777"`, `"0755"` or YAML's `1777` (its digits read as octal, as Compose does). */
function tmpfsMode(
  written: string | number | undefined,
  path: (string | number)[],
  ctx: NormaliseContext,
): number | undefined {
  if (written === undefined) return undefined;
  const text = String(written);
  if (/^[0-7]{3,4}$/.test(text)) return parseInt(text, 8);
  ctx.report(
    'E_RANGE',
    path,
    `${JSON.stringify(written)} is not octal permission bits such as "1777"`,
  );
  return undefined;
}

function normaliseHealthcheck(
  raw: NonNullable<Raw.ContainerSpec['healthcheck']>,
  ctx: NormaliseContext,
): Healthcheck {
  const at = (field: string): (string | number)[] => ['spec', 'healthcheck', field];
  const startIntervalMs = duration(raw.startInterval, at('startInterval'), ctx);
  return {
    ...(startIntervalMs !== undefined && { startIntervalMs }),
    command: [...raw.command],
    intervalMs: duration(raw.interval, at('interval'), ctx) ?? HEALTHCHECK_DEFAULTS.intervalMs,
    timeoutMs: duration(raw.timeout, at('timeout'), ctx) ?? HEALTHCHECK_DEFAULTS.timeoutMs,
    retries: raw.retries ?? HEALTHCHECK_DEFAULTS.retries,
    startPeriodMs:
      duration(raw.startPeriod, at('startPeriod'), ctx) ?? HEALTHCHECK_DEFAULTS.startPeriodMs,
    restartOnUnhealthy: raw.restartOnUnhealthy ?? true,
  };
}

function normaliseResources(raw: Raw.ContainerSpec['resources'], ctx: NormaliseContext): Resources {
  const resources: Resources = {};
  const at = (field: string): (string | number)[] => ['spec', 'resources', field];
  const memory = quantity(raw?.memory, at('memory'), ctx);
  if (memory !== undefined) resources.memoryBytes = memory;
  if (raw?.cpus !== undefined) resources.nanoCpus = Math.round(raw.cpus * 1e9);
  if (raw?.pids !== undefined) resources.pids = raw.pids;
  const reservation = quantity(raw?.memoryReservation, at('memoryReservation'), ctx);
  if (reservation !== undefined) resources.memoryReservationBytes = reservation;
  const swap = raw?.memorySwap === -1 ? -1 : quantity(raw?.memorySwap, at('memorySwap'), ctx);
  if (swap !== undefined) resources.memorySwapBytes = swap;
  if (raw?.cpuShares !== undefined) resources.cpuShares = raw.cpuShares;
  if (raw?.cpuset !== undefined) resources.cpuset = raw.cpuset;
  if (raw?.oomScoreAdj !== undefined) resources.oomScoreAdj = raw.oomScoreAdj;
  checkMemory(resources, ctx);
  return resources;
}

function normaliseUpdate(raw: NonNullable<Raw.ContainerSpec['update']>, ctx: NormaliseContext) {
  const at = (field: string) => ['spec', 'update', field];
  const healthTimeoutMs = duration(raw.healthTimeout, at('healthTimeout'), ctx);
  const minReadyMs = duration(raw.minReady, at('minReady'), ctx);
  return {
    ...(raw.order ? { order: raw.order } : {}),
    ...(healthTimeoutMs !== undefined ? { healthTimeoutMs } : {}),
    ...(minReadyMs !== undefined ? { minReadyMs } : {}),
    ...(raw.onFailure ? { onFailure: raw.onFailure } : {}),
  };
}

/** 6 MiB: the least memory limit or reservation Docker takes (daemon_unix.go linuxMinMemory). */
const MIN_MEMORY_BYTES = 6 * 1024 * 1024;

/** The engine's own rules: at least 6 MiB, swap ≥ memory (and needs it), reservation ≤ memory. */
function checkMemory(r: Resources, ctx: NormaliseContext): void {
  const at = (field: string): (string | number)[] => ['spec', 'resources', field];
  // The engine's floor (Docker's linuxMinMemory), refused at create after the network was made (F262).
  if (r.memoryBytes !== undefined && r.memoryBytes < MIN_MEMORY_BYTES)
    ctx.report('E_RANGE', at('memory'), 'is below 6Mi, the least memory the engine allows');
  if (r.memoryReservationBytes !== undefined && r.memoryReservationBytes < MIN_MEMORY_BYTES)
    ctx.report(
      'E_RANGE',
      at('memoryReservation'),
      'is below 6Mi, the least reservation the engine allows',
    );
  if (r.memorySwapBytes !== undefined && r.memorySwapBytes !== -1) {
    if (r.memoryBytes === undefined || r.memorySwapBytes < r.memoryBytes)
      ctx.report('E_RANGE', at('memorySwap'), 'must be at least resources.memory (and needs it)');
  }
  if (r.memoryReservationBytes !== undefined && r.memoryBytes !== undefined)
    if (r.memoryReservationBytes > r.memoryBytes)
      ctx.report('E_RANGE', at('memoryReservation'), 'must not be above resources.memory');
}
