import {
  berthCli,
  composeCli,
  countedSample,
  mustSucceed,
  workloadFor,
  type BenchContext,
} from '../lib/context.js';
import { cleanupBench } from '../lib/cleanup.js';
import {
  allRunning,
  containersOf,
  envOf,
  noMutations,
  nothingLeft,
  onlyTouched,
} from '../lib/checks.js';
import { interleave, toToolResult, type Contender, type Sample } from '../lib/interleave.js';
import { rawApply, rawDelete } from '../lib/raw-driver.js';
import { timeIt } from '../lib/proc.js';
import type { ScenarioResult } from '../lib/results.js';
import type { Workload } from '../lib/workload.js';
import { limitBar, ratioBar } from './bars.js';

type Shape = Omit<Workload, 'project' | 'siteDir'>;
const shape = (n: number, init: boolean): Shape => ({ n, init, envValue: 'a', state: 'running' });

/** The raw driver's run, timed, with its calls counted by the same proxy as the tools'. */
async function rawSample(ctx: BenchContext, work: () => Promise<unknown>): Promise<Sample> {
  ctx.proxy.reset();
  const ms = await timeIt(work);
  return { ms, ok: true, calls: ctx.proxy.counts() };
}

/** Cold apply: nothing exists; berth apply vs compose up -d vs the raw API at concurrency 8. */
export async function coldApply(ctx: BenchContext, n: number): Promise<ScenarioResult> {
  const b = workloadFor(ctx, 'b-cold', shape(n, false));
  const c = workloadFor(ctx, 'c-cold', shape(n, false));
  const r = workloadFor(ctx, 'r-cold', shape(n, false));
  const contenders: Contender[] = [
    {
      name: 'berth',
      prepare: () => clean(b.w),
      run: () =>
        countedSample(ctx, () => berthCli(ctx, ['apply', '-f', b.berthDir, '-p', b.w.project])),
      verify: async (s) =>
        (await allRunning(b.w.project, n)) ?? callsWere(s, { 'POST /containers/create': n }),
    },
    {
      name: 'raw',
      prepare: () => clean(r.w),
      run: () => rawSample(ctx, () => rawApply(r.w, ctx.proxy.socketPath)),
      verify: () => allRunning(r.w.project, n),
    },
  ];
  if (ctx.compose)
    contenders.push({
      name: 'compose',
      prepare: () => clean(c.w),
      run: () =>
        countedSample(ctx, () => composeCli(ctx, c.composeFile, c.w.project, ['up', '-d'])),
      verify: () => allRunning(c.w.project, n),
    });
  const tools = await interleave(contenders, ctx.runs, ctx.warmup, ctx.log);
  for (const w of [b.w, c.w, r.w]) await clean(w);
  return {
    id: `cold-apply-${n}`,
    title: `cold apply, N=${n}`,
    measure: 'wall time from start to every container running',
    unit: 'ms',
    tools,
    bars: [
      ratioBar('berth ≤ 1.05× raw API (concurrency 8)', tools.berth, tools.raw, 1.05),
      ratioBar('berth below compose up -d', tools.berth, tools.compose, 1, true),
    ],
    notes: [
      'Between runs every object of the tool is force-removed (not timed).',
      'Checked after each run (not timed): all N containers of the tool running; berth made N creates.',
    ],
  };
}

const clean = (w: Workload) => cleanupBench(`${w.project}-`).then(() => undefined);

/** The run's counted calls include exactly these counts of these routes. */
function callsWere(s: Sample, want: Record<string, number>): string | undefined {
  for (const [route, n] of Object.entries(want)) {
    const got = s.calls?.[route] ?? 0;
    if (got !== n) return `${route} ×${got}, expected ×${n}`;
  }
  return undefined;
}

/** Throws (a failed run) when a set-up did not leave all n containers running. */
async function setUp(project: string, n: number): Promise<void> {
  const problem = await allRunning(project, n);
  if (problem) throw new Error(`set-up: ${problem}`);
}

/** The same containers (same ids), all running: nothing was recreated. */
async function unchanged(
  project: string,
  n: number,
  before: Map<string, { id: string }>,
): Promise<string | undefined> {
  const running = await allRunning(project, n);
  if (running) return running;
  const now = await containersOf(project);
  const recreated = [...before].filter(([name, c]) => now.get(name)?.id !== c.id);
  return recreated.length ? `${recreated.length} containers recreated` : undefined;
}

/**
 * berth's no-op project of N containers applied (untimed): the set-up of the no-op and
 * status scenarios, also when only the status scenario runs (`--only "status of"`).
 */
export async function applyNoopProject(ctx: BenchContext, n: number) {
  const b = workloadFor(ctx, `b-noop${n}`, shape(n, true));
  mustSucceed(
    'berth apply (set-up)',
    await berthCli(ctx, ['apply', '-f', b.berthDir, '-p', b.w.project]),
  );
  return b;
}

/** No-op apply at N: everything already converged; wall time and engine calls. */
export async function noopApply(ctx: BenchContext, n: number): Promise<ScenarioResult> {
  const b = await applyNoopProject(ctx, n);
  const c = workloadFor(ctx, `c-noop${n}`, shape(n, true));
  // A compose set-up that fails or hangs is counted against compose; berth is still measured.
  const composeSetup = ctx.compose
    ? await countedSample(ctx, () => composeCli(ctx, c.composeFile, c.w.project, ['up', '-d']))
    : undefined;
  const berthBefore = await containersOf(b.w.project);
  const composeBefore = await containersOf(c.w.project);
  const contenders: Contender[] = [
    {
      name: 'berth',
      run: () =>
        countedSample(ctx, () => berthCli(ctx, ['apply', '-f', b.berthDir, '-p', b.w.project])),
      verify: async (s) => noMutations(s) ?? (await unchanged(b.w.project, n, berthBefore)),
    },
  ];
  if (composeSetup?.ok)
    contenders.push({
      name: 'compose',
      run: () =>
        countedSample(ctx, () => composeCli(ctx, c.composeFile, c.w.project, ['up', '-d'])),
      verify: () => unchanged(c.w.project, n, composeBefore),
    });
  const tools = await interleave(contenders, ctx.runs, ctx.warmup, ctx.log);
  if (composeSetup && !composeSetup.ok) tools.compose = toToolResult([composeSetup]);
  await clean(c.w);
  return {
    id: `noop-apply-${n}`,
    title: `no-op apply, N=${n}`,
    measure: 'wall time of an apply that has nothing to do; engine calls of the last run',
    unit: 'ms',
    tools,
    bars: [
      limitBar('berth ≤ 5 engine calls', tools.berth?.calls, 5, 'calls'),
      ratioBar('berth ≤ 0.25× compose time', tools.berth, tools.compose, 0.25),
    ],
    notes: [
      `compose's expected call count is 7N+6 = ${7 * n + 6}; measured: ${tools.compose?.calls ?? 'n/a'}.`,
      'Checked after each run (not timed): the same N containers (same ids) running; berth made no mutating call.',
    ],
  };
}

/** berth's project of noopApply(n), left running for the status scenario. */
export const noopProject = (ctx: BenchContext, n: number) => `${ctx.prefix}b-noop${n}`;

/**
 * Change one env var (of one container, init variant): one replacement. berth is measured
 * twice: with `update: {order: stop-first, minReady: 0s}` (the job compose's recreate does:
 * stop, create, start, no gate; the bar) and with its default (start-first, a 3 s minReady
 * gate: the new container must run 3 s before the old one goes; reported, no bar).
 */
export async function changeEnv(ctx: BenchContext, n: number): Promise<ScenarioResult> {
  const tools: { name: string; short: string; update?: Shape['update']; compose?: boolean }[] = [
    { name: 'berth', short: 'b-env', update: { order: 'stop-first', minReady: '0s' } },
  ];
  // The default's 3 s gate would make up most of a smoke run.
  if (ctx.mode !== 'smoke')
    tools.push({ name: 'berth default (start-first, 3 s gate)', short: 'b-envd' });
  if (ctx.compose) tools.push({ name: 'compose', short: 'c-env', compose: true });
  const contenders: Contender[] = [];
  for (const tool of tools) {
    const base = { ...shape(n, true), ...(tool.update ? { update: tool.update } : {}) };
    const first = workloadFor(ctx, tool.short, base);
    const project = first.w.project;
    const changed = `${project}-c001`;
    if (tool.compose)
      mustSucceed(
        'compose up (set-up)',
        await composeCli(ctx, first.composeFile, project, ['up', '-d']),
      );
    else
      mustSucceed(
        'berth apply (set-up)',
        await berthCli(ctx, ['apply', '-f', first.berthDir, '-p', project]),
      );
    let value = 'a';
    let before = new Map<string, { id: string }>();
    const run = tool.compose
      ? () => countedSample(ctx, () => composeCli(ctx, first.composeFile, project, ['up', '-d']))
      : () =>
          countedSample(ctx, () => berthCli(ctx, ['apply', '-f', first.berthDir, '-p', project]));
    contenders.push({
      name: tool.name,
      prepare: async () => {
        value = value === 'b' ? 'a' : 'b';
        // The same folder as the set-up: the short name, which workloadFor prefixes.
        workloadFor(ctx, tool.short, { ...base, changed: { index: 0, value } });
        before = await containersOf(project);
      },
      run,
      verify: async (s) => {
        const running = await allRunning(project, n);
        if (running) return running;
        const now = await containersOf(project);
        const others = [...before].filter(([k, c]) => k !== changed && now.get(k)?.id !== c.id);
        if (others.length) return `${others.length} other containers recreated`;
        const oldId = before.get(changed)?.id ?? '';
        const newId = now.get(changed)?.id ?? '';
        if (oldId === newId) return `${changed} was not recreated`;
        const got = await envOf(changed, 'BENCH_MODE');
        if (got !== value) return `${changed} has BENCH_MODE=${got}, expected ${value}`;
        return onlyTouched(s.mutations ?? [], changed, [oldId, newId], {
          'POST /containers/create': 1,
          'POST /containers/{id}/start': 1,
          'DELETE /containers/{id}': 1,
        });
      },
    });
  }
  const results = await interleave(contenders, ctx.runs, ctx.warmup, ctx.log);
  for (const tool of tools) await cleanupBench(`${ctx.prefix}${tool.short}-`);
  return {
    id: `change-env-${n}`,
    title: `change one env var (init variant), N=${n}`,
    measure: 'wall time of an apply after BENCH_MODE of one container changed (one replacement)',
    unit: 'ms',
    tools: results,
    bars: [ratioBar('berth (stop-first, no gate) ≤ compose', results.berth, results.compose, 1)],
    notes: [
      'The env var of container c001 alternates between two values each run; the other N-1 containers are unchanged.',
      'Checked after each run (not timed): c001 replaced and its new container has the new value; the other N-1 keep their ids; all running; every mutating engine call names c001 (or its ids), with exactly one create, one start and one remove.',
      '"berth" declares `update: {order: stop-first, minReady: 0s}`, the job compose does; "berth default" is start-first with the 3 s minReady gate (DESIGN "Updates and rollback"), so it takes about 3 s longer by design.',
    ],
  };
}

/** Delete all (init variant): berth delete -f vs compose down vs raw force-removes. */
export async function deleteAll(ctx: BenchContext, n: number): Promise<ScenarioResult> {
  const b = workloadFor(ctx, 'b-del', shape(n, true));
  const c = workloadFor(ctx, 'c-del', shape(n, true));
  const r = workloadFor(ctx, 'r-del', shape(n, true));
  const contenders: Contender[] = [
    {
      name: 'berth',
      prepare: async () => {
        mustSucceed(
          'berth apply (set-up)',
          await berthCli(ctx, ['apply', '-f', b.berthDir, '-p', b.w.project]),
        );
        await setUp(b.w.project, n);
      },
      run: () =>
        countedSample(ctx, () => berthCli(ctx, ['delete', '-f', b.berthDir, '-p', b.w.project])),
      verify: () => nothingLeft(b.w.project),
    },
    {
      name: 'raw',
      prepare: () =>
        clean(r.w)
          .then(() => rawApply(r.w))
          .then(() => setUp(r.w.project, n)),
      run: () => rawSample(ctx, () => rawDelete(r.w.project, ctx.proxy.socketPath)),
      verify: () => nothingLeft(r.w.project),
    },
  ];
  if (ctx.compose)
    contenders.push({
      name: 'compose',
      prepare: async () => {
        mustSucceed(
          'compose up (set-up)',
          await composeCli(ctx, c.composeFile, c.w.project, ['up', '-d']),
        );
        await setUp(c.w.project, n);
      },
      run: () => countedSample(ctx, () => composeCli(ctx, c.composeFile, c.w.project, ['down'])),
      verify: () => nothingLeft(c.w.project),
    });
  const tools = await interleave(contenders, ctx.runs, ctx.warmup, ctx.log);
  for (const w of [b.w, c.w, r.w]) await clean(w);
  return {
    id: `delete-all-${n}`,
    title: `delete all (init variant), N=${n}`,
    measure: 'wall time from start to every container and the network gone',
    unit: 'ms',
    tools,
    bars: [ratioBar('berth ≤ compose down', tools.berth, tools.compose, 1)],
    notes: [
      'All three stop, then remove (init makes stops prompt); the raw driver at concurrency 8.',
      'Checked after each run (not timed): no container and no network of the tool left.',
    ],
  };
}
