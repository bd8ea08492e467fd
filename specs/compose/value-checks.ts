import { isRecord } from './located.js';
import type { ComposeCode } from './located.js';
import { COMPOSE_DURATION } from './values.js';

/** Reports a problem at `key` of `tree` (a mapping key or a sequence index). */
export type Report = (
  tree: unknown,
  key: string | number,
  code: ComposeCode,
  message: string,
) => void;

/** A check of one value: the problem in words, '' when the value is fine. */
type Check = (value: unknown) => string;

/**
 * Values of one service that `docker compose` refuses (or that the engine refuses when
 * compose creates the container), each reported at its key: byte sizes compose-go cannot
 * parse (`invalid size: 'lots'`, go-units RAMInBytes), CPU counts that are not numbers,
 * durations Go's time.ParseDuration refuses, restart policies the engine does not know
 * (`invalid restart policy 'sometimes'`, verified on Engine 20.10), negative or distinct
 * `scale` / `deploy.replicas`, a build with both `dockerfile` and `dockerfile_inline`
 * (compose-go refuses it). Values holding a `${…}` are skipped (resolved later).
 */
export function checkValues(svc: Record<string, unknown>, service: string, report: Report): void {
  const at = (tree: Record<string, unknown>, key: string, check: Check, code: ComposeCode) => {
    const value = tree[key];
    if (value === undefined || value === null || hasDollar(value)) return;
    const problem = check(value);
    if (problem)
      report(tree, key, code, `services.${service}.${pathOf(tree, svc, key)}: ${problem}`);
  };
  for (const key of ['mem_limit', 'memswap_limit', 'mem_reservation', 'shm_size'])
    at(svc, key, size, 'E_QUANTITY');
  at(svc, 'cpus', cpuCount, 'E_QUANTITY');
  at(svc, 'stop_grace_period', duration, 'E_DURATION');
  at(svc, 'restart', restart, 'E_SCHEMA');
  at(svc, 'scale', replicas, 'E_RANGE');
  if (isRecord(svc.healthcheck))
    for (const key of ['interval', 'timeout', 'start_period', 'start_interval'])
      at(svc.healthcheck, key, duration, 'E_DURATION');
  const build = svc.build;
  if (isRecord(build) && build.dockerfile !== undefined && build.dockerfile_inline !== undefined)
    report(
      build,
      'dockerfile_inline',
      'E_EXCLUSIVE',
      `services.${service}.build: declares mutually exclusive dockerfile and dockerfile_inline`,
    );
  const deploy = svc.deploy;
  if (!isRecord(deploy)) return;
  at(deploy, 'replicas', replicas, 'E_RANGE');
  const resources = isRecord(deploy.resources) ? deploy.resources : {};
  for (const part of ['limits', 'reservations']) {
    const tree = resources[part];
    if (!isRecord(tree)) continue;
    at(tree, 'memory', size, 'E_QUANTITY');
    at(tree, 'cpus', cpuCount, 'E_QUANTITY');
  }
  const scale = svc.scale;
  if (
    scale !== undefined &&
    deploy.replicas !== undefined &&
    !hasDollar(scale) &&
    !hasDollar(deploy.replicas) &&
    Number(scale) !== Number(deploy.replicas)
  )
    report(
      deploy,
      'replicas',
      'E_EXCLUSIVE',
      `services.${service}: can't set distinct values on 'scale' and 'deploy.replicas'`,
    );
}

const hasDollar = (value: unknown) => typeof value === 'string' && value.includes('$');

/** Where `key` of `tree` sits below the service, for messages (`deploy.replicas`). */
function pathOf(tree: Record<string, unknown>, svc: Record<string, unknown>, key: string): string {
  if (tree === svc) return key;
  if (tree === svc.healthcheck) return `healthcheck.${key}`;
  const deploy = isRecord(svc.deploy) ? svc.deploy : {};
  if (tree === deploy) return `deploy.${key}`;
  const resources = isRecord(deploy.resources) ? deploy.resources : {};
  const part = tree === resources.limits ? 'limits' : 'reservations';
  return `deploy.resources.${part}.${key}`;
}

/** go-units RAMInBytes, which compose-go's UnitBytes uses after a plain integer. */
const SIZE = /^\s*-?[0-9]+\s*$|^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/;

function size(value: unknown): string {
  if (typeof value === 'number' && Number.isInteger(value)) return '';
  return SIZE.test(String(value)) ? '' : `invalid size: '${String(value)}'`;
}

function cpuCount(value: unknown): string {
  const n = typeof value === 'number' ? value : Number(String(value).trim() || 'x');
  return Number.isFinite(n) && n >= 0 ? '' : `not a number of CPUs: '${String(value)}'`;
}

function duration(value: unknown): string {
  if (typeof value === 'number') return '';
  return COMPOSE_DURATION.test(String(value).trim())
    ? ''
    : `invalid duration '${String(value)}' (write it as 1m30s, 10s, 500ms)`;
}

const POLICIES = ['no', 'always', 'on-failure', 'unless-stopped'];

function restart(value: unknown): string {
  const [policy = '', retries] = String(value).split(':');
  if (!POLICIES.includes(policy))
    return `invalid restart policy '${String(value)}' (one of ${POLICIES.join(', ')}; on-failure:N retries N times)`;
  if (retries !== undefined && policy !== 'on-failure')
    return `maximum retry count can only be used with 'on-failure'`;
  if (retries !== undefined && !/^[0-9]+$/.test(retries))
    return `invalid restart policy '${String(value)}': the retry count must be a whole number`;
  return '';
}

function replicas(value: unknown): string {
  const n = typeof value === 'number' ? value : Number(String(value).trim() || 'x');
  if (!Number.isInteger(n)) return `must be a whole number, not '${String(value)}'`;
  return n < 0 ? 'must be greater than or equal to 0' : '';
}
