import type {
  ContainerMount,
  ContainerSpec,
  Healthcheck,
  NetworkAttachment,
  PortBinding,
  Resources,
} from '../model.js';
import type * as Raw from '../types.generated.js';
import { parseDuration, parseIP, parsePortString, parseQuantity } from '../validate/values.js';
import { stringMap } from './context.js';
import { scalarString } from '../parse/scalar-text.js';
import type { NormaliseContext } from './context.js';

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
 */
export function normaliseContainer(raw: Raw.ContainerSpec, ctx: NormaliseContext): ContainerSpec {
  const spec: ContainerSpec = {
    image: { ref: raw.image },
    state: raw.state ?? 'running',
    env: normaliseEnv(raw.env, ctx),
    ports: (raw.ports ?? []).flatMap((port, i) => normalisePort(port, i, ctx)),
    networks: (raw.networks ?? []).map(normaliseNetworkAttachment),
    mounts: (raw.mounts ?? []).map((mount, i) => normaliseMount(mount, i, ctx)),
    restartPolicy: raw.restartPolicy ?? 'Always',
    dependsOn: (raw.dependsOn ?? []).map((d) => ({
      container: d.container,
      condition: d.condition ?? 'started',
    })),
    resources: normaliseResources(raw.resources, ctx),
    stopGracePeriodMs:
      duration(raw.stopGracePeriod, ['spec', 'stopGracePeriod'], ctx) ?? DEFAULT_STOP_GRACE_MS,
    privileged: raw.privileged ?? false,
    init: raw.init ?? false,
  };
  if (raw.replicas !== undefined && raw.replicas !== 1) spec.replicas = raw.replicas;
  if (raw.command) spec.command = [...raw.command];
  if (raw.args) spec.args = [...raw.args];
  if (raw.healthcheck) spec.healthcheck = normaliseHealthcheck(raw.healthcheck, ctx);
  if (raw.update) spec.update = normaliseUpdate(raw.update, ctx);
  if (raw.user !== undefined) spec.user = raw.user;
  if (raw.workingDir !== undefined) spec.workingDir = raw.workingDir;
  if (spec.privileged && !ctx.policy.allowPrivileged) {
    ctx.report(
      'E_POLICY',
      ['spec', 'privileged'],
      'is true, but the policy does not allow privileged containers',
    );
  }
  return spec;
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
 * silently win. Numbers and booleans keep their written text (`scalarString`).
 */
function normaliseEnv(
  env: Raw.ContainerSpec['env'],
  ctx: NormaliseContext,
): Record<string, string> {
  if (!Array.isArray(env)) return stringMap(env);
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

function normalisePort(
  port: Raw.PortString | Raw.PortObject,
  index: number,
  ctx: NormaliseContext,
): PortBinding[] {
  const at = ['spec', 'ports', index];
  if (typeof port === 'string') {
    const parsed = parsePortString(port);
    if (typeof parsed === 'string') {
      ctx.report('E_PORT', at, parsed);
      return [];
    }
    return [parsed];
  }
  if (port.hostIP !== undefined && port.hostIP !== '' && !parseIP(port.hostIP)) {
    ctx.report('E_PORT', [...at, 'hostIP'], `"${port.hostIP}" is not an IP address`);
    return [];
  }
  const binding: PortBinding = {
    containerPort: port.containerPort,
    hostIP: port.hostIP ?? '',
    protocol: port.protocol ?? 'tcp',
  };
  if (port.hostPort !== undefined) binding.hostPort = port.hostPort;
  return [binding];
}

function normaliseNetworkAttachment(entry: string | Raw.NetworkAttachment): NetworkAttachment {
  if (typeof entry === 'string') return { network: entry, aliases: [] };
  return { network: entry.network, aliases: [...new Set(entry.aliases ?? [])].sort() };
}

function normaliseMount(
  mount: Raw.BindMountMount | Raw.VolumeMount | Raw.TmpfsMount,
  index: number,
  ctx: NormaliseContext,
): ContainerMount {
  if ('bindMount' in mount) {
    return {
      type: 'bind',
      bindMount: mount.bindMount,
      target: mount.target,
      readOnly: mount.readOnly ?? false,
    };
  }
  if ('volume' in mount) {
    return {
      type: 'volume',
      volume: mount.volume,
      target: mount.target,
      readOnly: mount.readOnly ?? false,
    };
  }
  const tmpfs: ContainerMount = { type: 'tmpfs', target: mount.tmpfs };
  const size = quantity(mount.size, ['spec', 'mounts', index, 'size'], ctx);
  if (size !== undefined) tmpfs.sizeBytes = size;
  return tmpfs;
}

function normaliseHealthcheck(
  raw: NonNullable<Raw.ContainerSpec['healthcheck']>,
  ctx: NormaliseContext,
): Healthcheck {
  const at = (field: string): (string | number)[] => ['spec', 'healthcheck', field];
  return {
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
  const memory = quantity(raw?.memory, ['spec', 'resources', 'memory'], ctx);
  if (memory !== undefined) resources.memoryBytes = memory;
  if (raw?.cpus !== undefined) resources.nanoCpus = Math.round(raw.cpus * 1e9);
  if (raw?.pids !== undefined) resources.pids = raw.pids;
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
