import { gpuRequest } from './gpu-request.js';
import { isRecord } from './located.js';
import type { ServiceWork } from './service-work.js';
import { lose } from './state.js';
import { cpus, duration, quantity, text, wholeNumber } from './values.js';

/** Compose's legacy resource keys → `resources.*`; false for a key it does not handle. */
const LEGACY: Record<string, [string, (v: unknown) => unknown]> = {
  mem_limit: ['memory', quantity],
  memswap_limit: ['memorySwap', quantity],
  mem_reservation: ['memoryReservation', quantity],
  cpus: ['cpus', cpus],
  cpu_shares: ['cpuShares', (v) => (Number.isInteger(Number(v)) ? Number(v) : undefined)],
  cpuset: ['cpuset', (v) => text(v)],
  pids_limit: ['pids', pidsLimit],
  oom_score_adj: ['oomScoreAdj', (v) => (Number.isInteger(Number(v)) ? Number(v) : undefined)],
};

export function carryLegacyResources(w: ServiceWork, key: string, value: unknown): boolean {
  const entry = LEGACY[key];
  if (!entry) return false;
  const [field, convert] = entry;
  const converted = convert(value);
  if (converted === undefined)
    lose(w.state, w.svc, key, `services.${w.service}.${key}`, `${text(value)} cannot be carried`);
  else if (converted !== null) resources(w)[field] = converted;
  return true;
}

/**
 * A PIDs limit (`pids_limit`, `deploy.resources.limits.pids`): a whole number above 0 (also
 * quoted), or a `${…}` kept for berth to interpolate; null for -1 and 0, which the engine reads
 * as no limit (HostConfig.PidsLimit), berth's default, so left out; undefined for anything
 * else (a loss). Never NaN: a variable written as a number became `.nan`, which no berth
 * manifest accepts.
 */
function pidsLimit(value: unknown): number | string | null | undefined {
  const n = wholeNumber(value);
  if (typeof n === 'string') return n;
  if (n === 0 || n === -1) return null;
  return n !== undefined && n > 0 ? n : undefined;
}

function resources(w: ServiceWork): Record<string, unknown> {
  if (!isRecord(w.spec.resources)) w.spec.resources = {};
  return w.spec.resources as Record<string, unknown>;
}

/** `healthcheck:` → berth's healthcheck (CMD, CMD-SHELL, NONE; durations). */
export function carryHealthcheck(w: ServiceWork, value: unknown): void {
  if (!isRecord(value)) return;
  const where = `services.${w.service}.healthcheck`;
  if (value.disable === true) {
    w.spec.healthcheck = { command: ['NONE'] };
    return;
  }
  const test = value.test;
  const command =
    typeof test === 'string'
      ? ['CMD-SHELL', test]
      : Array.isArray(test)
        ? test.map(text)
        : undefined;
  const check: Record<string, unknown> = {};
  if (command) check.command = command;
  for (const [key, field] of [
    ['interval', 'interval'],
    ['timeout', 'timeout'],
    ['start_period', 'startPeriod'],
    ['start_interval', 'startInterval'],
  ] as const) {
    if (value[key] === undefined) continue;
    const d = duration(value[key]);
    if (d === undefined) lose(w.state, value, key, `${where}.${key}`, 'not a duration');
    else check[field] = d;
  }
  if (value.retries !== undefined) {
    const retries = wholeNumber(value.retries);
    if (retries === undefined)
      lose(w.state, value, 'retries', `${where}.retries`, 'not a whole number');
    else check.retries = retries;
  }
  for (const key of Object.keys(value))
    if (
      ![
        'test',
        'interval',
        'timeout',
        'start_period',
        'start_interval',
        'retries',
        'disable',
      ].includes(key)
    )
      lose(w.state, value, key, `${where}.${key}`, 'no berth healthcheck field');
  if (!check.command) {
    if (Object.keys(check).length)
      lose(
        w.state,
        w.svc,
        'healthcheck',
        where,
        "timings without a test (the image's own test) cannot be carried",
      );
    return;
  }
  w.spec.healthcheck = check;
}

/** Swarm-only deploy keys that `docker compose up` ignores too: dropped without a loss. */
const SWARM_ONLY = new Set([
  'placement',
  'update_config',
  'rollback_config',
  'endpoint_mode',
  'labels',
]);

/**
 * Reservations only a swarm's scheduler reads: docker compose up sets memory and devices
 * (pkg/compose/create.go setReservations: "Cpu reservation is a swarm option and PIDs is only a
 * limit").
 */
const SWARM_RESERVATIONS = new Set(['cpus', 'pids', 'generic_resources']);

/** `deploy.replicas` (or `scale`, at `where`) as a whole number; otherwise a loss. */
export function replicas(w: ServiceWork, holder: Record<string, unknown>, where: string): void {
  const key = where.slice(where.lastIndexOf('.') + 1);
  const n = wholeNumber(holder[key]);
  if (n === undefined) lose(w.state, holder, key, where, 'not a whole number');
  else w.spec.replicas = n;
}

/** `deploy:` → replicas, resources and restart policy. */
export function carryDeploy(w: ServiceWork, value: unknown): void {
  if (!isRecord(value)) return;
  const where = `services.${w.service}.deploy`;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'replicas') replicas(w, value, `${where}.replicas`);
    else if (key === 'resources') deployResources(w, v, `${where}.resources`);
    else if (key === 'restart_policy') deployRestart(w, v, `${where}.restart_policy`);
    else if (key === 'mode' && v === 'replicated') continue;
    // docker compose up runs the service's replicas whatever the mode (one for global).
    else if (key === 'mode' && v === 'global')
      w.notes.push(`${where}.mode global left out: docker compose up runs one container too`);
    else if (SWARM_ONLY.has(key))
      w.notes.push(`${where}.${key} left out: docker compose up ignores it too`);
    else lose(w.state, value, key, `${where}.${key}`, 'no berth counterpart outside a swarm');
  }
}

function deployResources(w: ServiceWork, value: unknown, where: string): void {
  if (!isRecord(value)) return;
  const limits = isRecord(value.limits) ? value.limits : {};
  const reservations = isRecord(value.reservations) ? value.reservations : {};
  const res = resources(w);
  for (const [key, v] of Object.entries(limits)) {
    const converted =
      key === 'cpus'
        ? cpus(v)
        : key === 'memory'
          ? quantity(v)
          : key === 'pids'
            ? pidsLimit(v)
            : undefined;
    if (converted === undefined)
      lose(w.state, limits, key, `${where}.limits.${key}`, 'cannot be carried');
    else if (converted !== null) res[key] = converted;
  }
  for (const [key, v] of Object.entries(reservations)) {
    if (key === 'memory' && quantity(v) !== undefined) res.memoryReservation = quantity(v);
    else if (key === 'devices' && gpuRequest(v) !== undefined) w.spec.gpus = gpuRequest(v);
    else if (SWARM_RESERVATIONS.has(key))
      w.notes.push(`${where}.reservations.${key} left out: docker compose up ignores it too`);
    else
      lose(
        w.state,
        reservations,
        key,
        `${where}.reservations.${key}`,
        'the engine reserves only memory outside a swarm',
      );
  }
  if (Object.keys(res).length === 0) delete w.spec.resources;
}

const CONDITIONS: Record<string, string> = {
  none: 'Never',
  'on-failure': 'OnFailure',
  any: 'Always',
};

function deployRestart(w: ServiceWork, value: unknown, where: string): void {
  if (!isRecord(value)) return;
  w.spec.restartPolicy = CONDITIONS[text(value.condition ?? 'any')] ?? 'Always';
  const attempts = Number(text(value.max_attempts));
  // max_attempts under on-failure is the engine's retry count (F602); docker compose up
  // itself reads only that pair outside a swarm.
  const retries = w.spec.restartPolicy === 'OnFailure' && Number.isInteger(attempts);
  if (retries && attempts > 0) w.spec.restartMaxRetries = attempts;
  for (const key of Object.keys(value))
    if (key !== 'condition' && !(key === 'max_attempts' && retries))
      lose(w.state, value, key, `${where}.${key}`, 'berth restarts with its own back-off');
}
