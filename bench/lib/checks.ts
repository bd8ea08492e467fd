import type { Mutation } from './api-proxy.js';
import { containersNamed, engineCall } from './engine-http.js';
import type { Sample } from './interleave.js';
import type { ScenarioResult } from './results.js';
import { containerNames } from './workload.js';

/**
 * What a scenario checks after a run (issue 18: every scenario asserts the work it names
 * before its time counts). Each check returns what is wrong, or undefined when all is well.
 */

/** Engine name → {id, state} of every container named `<project>-…` (one list call). */
export async function containersOf(
  project: string,
): Promise<Map<string, { id: string; state: string }>> {
  const listed = await containersNamed(`${project}-`);
  return new Map(
    listed.map((c) => [(c.Names[0] ?? '').replace(/^\//, ''), { id: c.Id, state: c.State }]),
  );
}

/** Every one of the workload's n containers exists and runs, and nothing else of the project. */
export async function allRunning(project: string, n: number): Promise<string | undefined> {
  const seen = await containersOf(project);
  const missing = containerNames(n).filter(
    (name) => seen.get(`${project}-${name}`)?.state !== 'running',
  );
  if (missing.length)
    return `${missing.length} of ${n} containers not running (${missing.slice(0, 3).join(', ')}…)`;
  if (seen.size !== n) return `${seen.size} containers for ${n} declared`;
  return undefined;
}

/** Nothing of the project is left: no container, no network named `<project>-…`. */
export async function nothingLeft(project: string): Promise<string | undefined> {
  const containers = await containersOf(project);
  const filters = encodeURIComponent(JSON.stringify({ name: [`${project}-`] }));
  const networks = (
    JSON.parse(await engineCall('GET', `/networks?filters=${filters}`)) as { Name: string }[]
  ).filter((x) => x.Name.startsWith(`${project}-`));
  if (containers.size || networks.length)
    return `${containers.size} containers and ${networks.length} networks left`;
  return undefined;
}

/** The run made no mutating engine request (a no-op, a status). */
export function noMutations(sample: Sample): string | undefined {
  const m = sample.mutations ?? [];
  return m.length ? `${m.length} mutating calls: ${describe(m)}` : undefined;
}

/** The four list calls of an observation: everything a status of a ready project may cost. */
export const LIST_CALLS: readonly string[] = [
  'GET /containers/json',
  'GET /images/json',
  'GET /networks',
  'GET /volumes',
];

/**
 * The run made each of the four list calls once and no other engine call (issue 18: status
 * costs a constant number of calls; one inspect per container would be N more).
 */
export function onlyListCalls(sample: Sample): string | undefined {
  const calls = sample.calls;
  if (!calls) return 'no engine calls counted';
  const other = Object.entries(calls).filter(
    ([route, n]) => !LIST_CALLS.includes(route) || n !== 1,
  );
  const missing = LIST_CALLS.filter((route) => calls[route] === undefined);
  if (!other.length && !missing.length) return undefined;
  const seen = Object.entries(calls).map(([route, n]) => `${route} ×${n}`);
  return `engine calls beyond the four lists: ${seen.join(', ')}`;
}

/** The value of env var `key` in the engine's config of container `name` (one inspect). */
export async function envOf(name: string, key: string): Promise<string | undefined> {
  const info = JSON.parse(await engineCall('GET', `/containers/${name}/json`)) as {
    Config: { Env: string[] | null };
  };
  const line = (info.Config.Env ?? []).find((e) => e.startsWith(`${key}=`));
  return line?.slice(key.length + 1);
}

/**
 * "Exactly this container was replaced": every mutating call names it (by engine name or by
 * one of its ids) and the expected calls happened exactly `counts` times. Network
 * connects/disconnects name the container only in their body, so they are allowed as such.
 */
export function onlyTouched(
  mutations: Mutation[],
  name: string,
  ids: string[],
  counts: Record<string, number>,
): string | undefined {
  const marks = [name, ...ids.filter(Boolean).map((id) => id.slice(0, 12))];
  const stray = mutations.filter(
    (m) =>
      !/^\/networks\/[^/]+\/(connect|disconnect)/.test(m.path) &&
      !marks.some((k) => m.path.includes(k)),
  );
  if (stray.length) return `calls about other objects: ${describe(stray)}`;
  for (const [route, want] of Object.entries(counts)) {
    const [method, pattern] = route.split(' ') as [string, string];
    const re = new RegExp(`^${pattern.replace(/\{id\}/g, '[^/?]+').replace(/\//g, '\\/')}(\\?|$)`);
    const got = mutations.filter((m) => m.method === method && re.test(m.path)).length;
    if (got !== want) return `${route} ×${got}, expected ×${want} (${describe(mutations)})`;
  }
  return undefined;
}

function describe(m: Mutation[]): string {
  const shown = m.slice(0, 6).map((x) => `${x.method} ${x.path.split('?')[0]}`);
  return shown.join(', ') + (m.length > 6 ? ` and ${m.length - 6} more` : '');
}

/**
 * A scenario result whose tools have runs that did not do the work: its bars cannot be met.
 * A berth run that did not do the work misses the bar; a peer's makes it undecided.
 */
export function withVerdictOfChecks(result: ScenarioResult): ScenarioResult {
  const bad = Object.entries(result.tools).filter(([, t]) => (t.unverified ?? 0) > 0);
  if (!bad.length) return result;
  const berthBad = bad.some(([name]) => name.startsWith('berth'));
  const why = bad
    .map(([name, t]) => `${name}: ${t.unverified} run(s) did not do the work`)
    .join('; ');
  return {
    ...result,
    bars: result.bars.map((b) => ({
      ...b,
      met: berthBad ? false : b.met === false ? false : undefined,
      detail: `${why}. ${b.detail}`,
    })),
  };
}
