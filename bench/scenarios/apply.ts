import {
  berthCli,
  composeCli,
  countedSample,
  mustSucceed,
  workloadFor,
  type BenchContext,
} from '../lib/context.js';
import { cleanupBench } from '../lib/cleanup.js';
import { interleave, toToolResult, type Contender, type Sample } from '../lib/interleave.js';
import { rawApply, rawDelete } from '../lib/raw-driver.js';
import { timeIt } from '../lib/proc.js';
import type { ScenarioResult } from '../lib/results.js';
import type { Workload } from '../lib/workload.js';
import { limitBar, ratioBar } from './bars.js';

type Shape = Omit<Workload, 'project' | 'siteDir'>;
const shape = (n: number, init: boolean): Shape => ({ n, init, envValue: 'a', state: 'running' });

async function rawSample(work: () => Promise<unknown>): Promise<Sample> {
  return { ms: await timeIt(work), ok: true };
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
    },
    { name: 'raw', prepare: () => clean(r.w), run: () => rawSample(() => rawApply(r.w)) },
  ];
  if (ctx.compose)
    contenders.push({
      name: 'compose',
      prepare: () => clean(c.w),
      run: () =>
        countedSample(ctx, () => composeCli(ctx, c.composeFile, c.w.project, ['up', '-d'])),
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
      ratioBar('berth ≤ 1.15× raw API (concurrency 8)', tools.berth, tools.raw, 1.15),
      ratioBar('berth below compose up -d', tools.berth, tools.compose, 1, true),
    ],
    notes: ['Between runs every object of the tool is force-removed (not timed).'],
  };
}

const clean = (w: Workload) => cleanupBench(`${w.project}-`).then(() => undefined);

/** No-op apply at N: everything already converged; wall time and engine calls. */
export async function noopApply(ctx: BenchContext, n: number): Promise<ScenarioResult> {
  const b = workloadFor(ctx, `b-noop${n}`, shape(n, true));
  const c = workloadFor(ctx, `c-noop${n}`, shape(n, true));
  mustSucceed(
    'berth apply (set-up)',
    await berthCli(ctx, ['apply', '-f', b.berthDir, '-p', b.w.project]),
  );
  // A compose set-up that fails or hangs is counted against compose; berth is still measured.
  const composeSetup = ctx.compose
    ? await countedSample(ctx, () => composeCli(ctx, c.composeFile, c.w.project, ['up', '-d']))
    : undefined;
  const contenders: Contender[] = [
    {
      name: 'berth',
      run: () =>
        countedSample(ctx, () => berthCli(ctx, ['apply', '-f', b.berthDir, '-p', b.w.project])),
    },
  ];
  if (composeSetup?.ok)
    contenders.push({
      name: 'compose',
      run: () =>
        countedSample(ctx, () => composeCli(ctx, c.composeFile, c.w.project, ['up', '-d'])),
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
      ratioBar('berth ≤ 0.3× compose time', tools.berth, tools.compose, 0.3),
    ],
    notes: [
      `compose's expected call count is 7N+6 = ${7 * n + 6}; measured: ${tools.compose?.calls ?? 'n/a'}.`,
    ],
  };
}

/** berth's project of noopApply(n), left running for the status scenario. */
export const noopProject = (ctx: BenchContext, n: number) => `${ctx.prefix}b-noop${n}`;

/** Change one env var (of one container, init variant): one recreate. */
export async function changeEnv(ctx: BenchContext, n: number): Promise<ScenarioResult> {
  const values = new Map<string, string>();
  const next = (tool: string) => {
    const v = values.get(tool) === 'b' ? 'a' : 'b';
    values.set(tool, v);
    return v;
  };
  const at = (project: string, tool: string) =>
    workloadFor(ctx, project, { ...shape(n, true), changed: { index: 0, value: next(tool) } });
  const b0 = workloadFor(ctx, 'b-env', shape(n, true));
  const c0 = workloadFor(ctx, 'c-env', shape(n, true));
  mustSucceed(
    'berth apply (set-up)',
    await berthCli(ctx, ['apply', '-f', b0.berthDir, '-p', b0.w.project]),
  );
  if (ctx.compose)
    mustSucceed(
      'compose up (set-up)',
      await composeCli(ctx, c0.composeFile, c0.w.project, ['up', '-d']),
    );
  const contenders: Contender[] = [
    {
      name: 'berth',
      prepare: async () => void at(b0.w.project, 'berth'),
      run: () =>
        countedSample(ctx, () => berthCli(ctx, ['apply', '-f', b0.berthDir, '-p', b0.w.project])),
    },
  ];
  if (ctx.compose)
    contenders.push({
      name: 'compose',
      prepare: async () => void at(c0.w.project, 'compose'),
      run: () =>
        countedSample(ctx, () => composeCli(ctx, c0.composeFile, c0.w.project, ['up', '-d'])),
    });
  const tools = await interleave(contenders, ctx.runs, ctx.warmup, ctx.log);
  await clean(b0.w);
  await clean(c0.w);
  return {
    id: `change-env-${n}`,
    title: `change one env var (init variant), N=${n}`,
    measure: 'wall time of an apply after BENCH_MODE of one container changed (one recreate)',
    unit: 'ms',
    tools,
    bars: [ratioBar('berth ≤ compose', tools.berth, tools.compose, 1)],
    notes: [
      'The env var of container c001 alternates between two values each run; the other N-1 containers are unchanged.',
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
      prepare: async () =>
        mustSucceed(
          'berth apply (set-up)',
          await berthCli(ctx, ['apply', '-f', b.berthDir, '-p', b.w.project]),
        ),
      run: () =>
        countedSample(ctx, () => berthCli(ctx, ['delete', '-f', b.berthDir, '-p', b.w.project])),
    },
    {
      name: 'raw',
      prepare: () => clean(r.w).then(() => rawApply(r.w)),
      run: () => rawSample(() => rawDelete(r.w.project)),
    },
  ];
  if (ctx.compose)
    contenders.push({
      name: 'compose',
      prepare: async () =>
        mustSucceed(
          'compose up (set-up)',
          await composeCli(ctx, c.composeFile, c.w.project, ['up', '-d']),
        ),
      run: () => countedSample(ctx, () => composeCli(ctx, c.composeFile, c.w.project, ['down'])),
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
    ],
  };
}
