import type {
  ContainerCreateRequest,
  ContainerSettings,
  ContainerSettingsUpdate,
} from '../engine/engine.js';

/**
 * How a container's live settings (restart policy, resource limits: what `docker update`
 * changes in place) differ from its declaration, and how to bring them back (F272). The spec
 * hash cannot see these: it is a label, which `docker update` never touches. Pure.
 */
export interface SettingsDrift {
  /** What to set back in place (`Engine.updateContainer`); empty when a replace is needed. */
  set: ContainerSettingsUpdate;
  /** One line for the plan: `restart policy no, declared unless-stopped (changed outside berth)`. */
  cause: string;
  /** A limit set outside berth that the declaration does not have: only a replace takes it off. */
  replace: boolean;
}

type LimitField = Exclude<keyof ContainerSettings, 'restartPolicy' | 'restartMaxRetries'>;

/** The limits compared, with their words for people. */
const LIMITS: readonly [LimitField, string][] = [
  ['memoryBytes', 'memory'],
  ['memorySwapBytes', 'memory swap'],
  ['memoryReservationBytes', 'memory reservation'],
  ['nanoCpus', 'cpus'],
  ['cpuShares', 'cpu shares'],
  ['cpuset', 'cpuset'],
  ['pidsLimit', 'pids'],
];

/**
 * The drift of `observed` from what `request` declares, or undefined when there is none.
 * A declared limit that differs is set back in place; a limit the declaration does not have is
 * taken off in place only for pids (the engine reads 0 as "unchanged" for the others, engine.ts
 * `ContainerSettingsUpdate`), else the container is replaced. Swap is compared only where it is
 * declared: without it the engine derives its own from the memory limit.
 */
export function settingsDrift(
  request: ContainerCreateRequest,
  observed: ContainerSettings | undefined,
): SettingsDrift | undefined {
  if (!observed) return undefined;
  const declared = declaredSettings(request);
  const set: ContainerSettingsUpdate = {};
  const words: string[] = [];
  let replace = false;
  // The policy and its retry count are one setting: the engine updates them together.
  if (restartWords(observed) !== restartWords(declared)) {
    set.restartPolicy = declared.restartPolicy;
    if (declared.restartMaxRetries !== undefined)
      set.restartMaxRetries = declared.restartMaxRetries;
    words.push(`restart policy ${restartWords(observed)}, declared ${restartWords(declared)}`);
  }
  for (const [field, word] of LIMITS) {
    const want = declared[field];
    const have = observed[field];
    if (want === have || (want === undefined && field === 'memorySwapBytes')) continue;
    words.push(`${word} ${shown(field, have)}, declared ${shown(field, want)}`);
    if (want !== undefined) (set as Record<LimitField, unknown>)[field] = want;
    else if (field === 'pidsLimit') set.pidsLimit = 0;
    else replace = true;
  }
  if (words.length === 0) return undefined;
  return { set: replace ? {} : set, cause: `${words.join('; ')} (changed outside berth)`, replace };
}

/** The settings a container made from `request` has (absent: the engine's default). */
export function declaredSettings(request: ContainerCreateRequest): ContainerSettings {
  const fields: Record<LimitField, number | string | undefined> = {
    memoryBytes: request.memoryBytes,
    memorySwapBytes: request.memorySwapBytes,
    memoryReservationBytes: request.memoryReservationBytes,
    nanoCpus: request.nanoCpus,
    cpuShares: request.cpuShares,
    cpuset: request.cpuset,
    pidsLimit: request.pidsLimit,
  };
  const set = Object.entries(fields).filter(([, v]) => v !== undefined && v !== 0 && v !== '');
  const retries = request.restartMaxRetries;
  return {
    restartPolicy: request.restartPolicy,
    ...(retries !== undefined && retries > 0 && { restartMaxRetries: retries }),
    ...Object.fromEntries(set),
  };
}

/** `on-failure:2` as Docker writes a policy with a retry count; the bare name without one. */
function restartWords(s: ContainerSettings): string {
  return s.restartMaxRetries ? `${s.restartPolicy}:${s.restartMaxRetries}` : s.restartPolicy;
}

function shown(field: LimitField, value: number | string | undefined): string {
  if (value === undefined) return 'none';
  if (typeof value === 'string') return value;
  if (field === 'nanoCpus') return String(value / 1e9);
  if (field.endsWith('Bytes')) return value === -1 ? 'unlimited' : bytes(value);
  return String(value);
}

/** `33554432` → `32Mi`; a size that is not a whole number of KiB stays in bytes. */
function bytes(value: number): string {
  for (const [unit, size] of [
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const)
    if (value % size === 0) return `${value / size}${unit}`;
  return String(value);
}
