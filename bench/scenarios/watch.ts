import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { berthCli, mustSucceed, workloadFor, type BenchContext } from '../lib/context.js';
import { cleanupBench } from '../lib/cleanup.js';
import { engineCall } from '../lib/engine-http.js';
import { nowMs, waitForEvent } from '../lib/events.js';
import { interleave, toToolResult, type Sample } from '../lib/interleave.js';
import { rawApply, RAW_LABEL } from '../lib/raw-driver.js';
import { sleep } from '../lib/proc.js';
import type { ScenarioResult } from '../lib/results.js';
import { envOf } from '../lib/checks.js';
import { berthManifest, containerNames } from '../lib/workload.js';
import { idleWindows, startWatch, type WatchProcess } from '../lib/watch-process.js';
import { limitBar, ratioBar } from './bars.js';

const REPAIR_TIMEOUT = 30_000;
const PORT_BASE = 17_400 + (process.pid % 500);

async function pidOf(name: string): Promise<number> {
  const info = JSON.parse(await engineCall('GET', `/containers/${name}/json`)) as {
    State: { Pid: number };
  };
  return info.State.Pid;
}

/** kill -9 of the container's PID 1, timed until the engine reports it started again. */
async function killAndTime(name: string): Promise<Sample> {
  const pid = await pidOf(name);
  const waiter = await waitForEvent(
    { event: ['start'], container: [name] },
    () => true,
    REPAIR_TIMEOUT,
  );
  const t0 = nowMs();
  process.kill(pid, 'SIGKILL');
  return { ms: (await waiter.arrived) - t0, ok: true };
}

/** An action behind berth's back, timed from its completion until a container of that name starts. */
async function actAndTime(name: string, act: () => Promise<unknown>): Promise<Sample> {
  const waiter = await waitForEvent(
    { event: ['start'], type: ['container'] },
    (e) => e.Actor.Attributes.name === name,
    REPAIR_TIMEOUT,
  );
  await act();
  const t0 = nowMs();
  return { ms: (await waiter.arrived) - t0, ok: true };
}

/** The container of that engine name runs (checked once the start event was seen). */
async function runningAgain(name: string): Promise<string | undefined> {
  const info = JSON.parse(await engineCall('GET', `/containers/${name}/json`)) as {
    State: { Status: string };
  };
  return info.State.Status === 'running' ? undefined : `${name} is ${info.State.Status}`;
}

/** Every watch scenario of issue 7; each starts its own controller and removes what it made. */
export async function watchScenarios(
  ctx: BenchContext,
  idle: { idleObjects: number; idleSeconds: number },
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  const guarded = async (id: string, title: string, work: () => Promise<ScenarioResult>) => {
    try {
      results.push(await work());
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      ctx.log(`  ${title} could not run: ${message}`);
      results.push({
        id,
        title,
        measure: 'not measured',
        unit: 'ms',
        tools: {},
        bars: [{ text: title, met: undefined, detail: `could not run: ${message.slice(0, 300)}` }],
        notes: [],
      });
    }
  };
  await guarded('drift-kill', 'drift repair: kill -9 under berth watch', () => driftKill(ctx));
  await guarded('drift-stop-rm', 'drift repair: docker stop / rm -f under berth watch', () =>
    driftStopRm(ctx),
  );
  await guarded('file-saved', 'file saved → converged (one container, init)', () => fileSaved(ctx));
  await guarded(
    'watch-idle',
    `berth watch with ${idle.idleObjects} objects, idle ${idle.idleSeconds} s`,
    () => watchIdle(ctx, idle.idleObjects, idle.idleSeconds),
  );
  return results;
}

/** Runs `work` under a `berth watch` of `source` (a folder, or `['--git', …]`), then stops it and removes the project. */
export async function withWatch<T>(
  ctx: BenchContext,
  dir: string | string[],
  project: string,
  port: number,
  expect: { running?: number; total: number },
  work: (w: WatchProcess) => Promise<T>,
): Promise<T> {
  const watch = await startWatch(ctx, dir, project, port, expect);
  try {
    return await work(watch);
  } finally {
    await watch.stop();
    await cleanupBench(`${project}-`);
  }
}

/**
 * A fresh container per run: repeated drift on one container meets the engine's restart
 * back-off and berth's per-object back-off, which would measure back-off, not repair.
 */
function rotation(project: string, first: number): () => string {
  let next = first;
  return () => `${project}-${containerNames(next++).at(-1)}`;
}

async function driftKill(ctx: BenchContext): Promise<ScenarioResult> {
  const n = ctx.runs + ctx.warmup;
  const b = workloadFor(ctx, 'b-kill', { n, init: true, envValue: 'a', state: 'running' });
  const r = workloadFor(ctx, 'r-always', { n, init: true, envValue: 'a', state: 'running' });
  await rawApply(r.w);
  // The peer: the engine's own restart policy `always` with no controller at all.
  for (const name of containerNames(n))
    await engineCall('POST', `/containers/${r.w.project}-${name}/update`, {
      RestartPolicy: { Name: 'always' },
    });
  const berthNext = rotation(b.w.project, 1);
  const rawNext = rotation(r.w.project, 1);
  let berthLast = '';
  let rawLast = '';
  try {
    const tools = await withWatch(ctx, b.berthDir, b.w.project, PORT_BASE, { total: n }, () =>
      interleave(
        [
          {
            name: 'berth watch',
            run: () => killAndTime((berthLast = berthNext())),
            verify: () => runningAgain(berthLast),
          },
          {
            name: 'engine restart: always',
            run: () => killAndTime((rawLast = rawNext())),
            verify: () => runningAgain(rawLast),
          },
        ],
        ctx.runs,
        ctx.warmup,
        ctx.log,
      ),
    );
    return {
      id: 'drift-kill',
      title: 'drift repair: kill -9 under berth watch',
      measure: 'kill -9 of PID 1 → engine `start` event',
      unit: 'ms',
      tools,
      bars: [
        ratioBar(
          'berth ≤ 1.5× engine restart: always',
          tools['berth watch'],
          tools['engine restart: always'],
          1.5,
        ),
      ],
      notes: [
        `The peer is a bare container (label ${RAW_LABEL}) with restart policy always and no controller.`,
        'berth sets unless-stopped on its containers, so the engine restarts them too; berth watch must not slow that down.',
      ],
    };
  } finally {
    await cleanupBench(`${r.w.project}-`);
  }
}

async function driftStopRm(ctx: BenchContext): Promise<ScenarioResult> {
  const k = ctx.runs + ctx.warmup;
  const b = workloadFor(ctx, 'b-drift', {
    n: 2 * k,
    init: true,
    envValue: 'a',
    state: 'running',
  });
  const stopNext = rotation(b.w.project, 1);
  const rmNext = rotation(b.w.project, k + 1);
  let stopped = '';
  let removed = '';
  const stop = (name: string) =>
    actAndTime(name, () => engineCall('POST', `/containers/${name}/stop?t=10`));
  const remove = (name: string) =>
    actAndTime(name, () => engineCall('DELETE', `/containers/${name}?force=1`));
  const tools = await withWatch(ctx, b.berthDir, b.w.project, PORT_BASE + 1, { total: 2 * k }, () =>
    interleave(
      [
        {
          name: 'docker stop',
          run: () => stop((stopped = stopNext())),
          verify: () => runningAgain(stopped),
        },
        {
          name: 'docker rm -f',
          run: () => remove((removed = rmNext())),
          verify: () => runningAgain(removed),
        },
      ],
      ctx.runs,
      ctx.warmup,
      ctx.log,
    ),
  );
  return {
    id: 'drift-stop-rm',
    title: 'drift repair: docker stop / rm -f under berth watch',
    measure: 'the stop or remove call returning → a container of that name started again',
    unit: 'ms',
    tools,
    bars: [
      {
        text: 'repaired (reported; the engine does not repair these at all)',
        met: Object.values(tools).every((t) => t.runs > 0 && t.failures + t.timeouts === 0),
        detail: Object.entries(tools)
          .map(
            ([k, t]) =>
              `${k}: median ${t.median} ms, ${t.failures + t.timeouts} not repaired within ${REPAIR_TIMEOUT / 1000} s`,
          )
          .join('; '),
      },
    ],
    notes: [
      'Equivalent to `docker stop` / `docker rm -f`, issued as the same API calls.',
      'Each run acts on a different container; see NOTES for what repeated stops of one container show.',
    ],
  };
}

async function fileSaved(ctx: BenchContext): Promise<ScenarioResult> {
  // stop-first without a gate: converged is the new container started under the name; with
  // the default (start-first, 3 s minReady) it would be the rename after the 3 s gate.
  const f = workloadFor(ctx, 'b-file', {
    n: 1,
    init: true,
    envValue: 'a',
    state: 'running',
    update: { order: 'stop-first', minReady: '0s' },
  });
  const name = `${f.w.project}-c001`;
  let value = 'a';
  const save = async (): Promise<Sample> => {
    value = value === 'a' ? 'b' : 'a';
    const waiter = await waitForEvent(
      { event: ['start'], type: ['container'] },
      (e) => e.Actor.Attributes.name === name,
      REPAIR_TIMEOUT,
    );
    const t0 = nowMs();
    writeFileSync(join(f.berthDir, 'objects.yaml'), berthManifest({ ...f.w, envValue: value }));
    return { ms: (await waiter.arrived) - t0, ok: true };
  };
  const tools = await withWatch(ctx, f.berthDir, f.w.project, PORT_BASE + 2, { total: 1 }, () =>
    interleave(
      [
        {
          name: 'berth watch',
          run: save,
          verify: async () => {
            const got = await envOf(name, 'BENCH_MODE');
            return got === value ? undefined : `${name} has BENCH_MODE=${got}, expected ${value}`;
          },
        },
      ],
      ctx.runs,
      ctx.warmup,
      ctx.log,
    ),
  );
  return {
    id: 'file-saved',
    title: 'file saved → converged (one container, init)',
    measure: 'manifest written → the recreated container started',
    unit: 'ms',
    tools,
    bars: [
      limitBar(
        'saved → converged < 1 s',
        tools['berth watch']?.runs ? tools['berth watch'].median : undefined,
        1000,
        'ms',
      ),
    ],
    notes: [
      "The change is the container's env var, so converging means stop, create, start (the container declares `update: {order: stop-first, minReady: 0s}`; berth's default start-first update waits a 3 s minReady gate by design).",
      'Checked after each run (not timed): the started container has the new value.',
    ],
  };
}

async function watchIdle(
  ctx: BenchContext,
  objects: number,
  seconds: number,
): Promise<ScenarioResult> {
  // Containers are `created`, not running: 500 objects without 500 container processes,
  // which this shared 2-core machine could not hold beside other work.
  const n = objects - 2;
  const i = workloadFor(ctx, 'b-idle', { n, init: true, envValue: 'a', state: 'created' });
  mustSucceed(
    'berth apply (set-up)',
    await berthCli(ctx, ['apply', '-f', i.berthDir, '-p', i.w.project, '--timeout', '10m']),
  );
  return withWatch(
    ctx,
    i.berthDir,
    i.w.project,
    PORT_BASE + 3,
    { running: 0, total: n },
    async (watch) => {
      await sleep(3000); // let the start-up resync finish before the idle window opens
      ctx.proxy.reset();
      const { cpu, rss, window } = await idleWindows(watch.pid, seconds);
      const calls = ctx.proxy.counts();
      const mutations = ctx.proxy.mutations();
      const cpuResult = {
        ...toToolResult(cpu),
        calls: Object.values(calls).reduce((a, b) => a + b, 0),
        callsByRoute: calls,
      };
      const rssResult = toToolResult(rss);
      return {
        id: 'watch-idle',
        title: `berth watch with ${objects} objects, idle ${seconds} s`,
        measure: `CPU % per ${window} s window and RSS (MB) at its end; engine calls over the whole idle time`,
        unit: '',
        tools: { 'CPU %': cpuResult, 'RSS MB': rssResult },
        bars: [
          limitBar(
            '~0% CPU (≤ 1%)',
            cpuResult.runs ? cpuResult.max : undefined,
            1,
            '% (max window)',
          ),
          limitBar('RSS < 150 MB', rssResult.runs ? rssResult.max : undefined, 150, 'MB'),
          limitBar('no mutating engine call while idle', mutations.length, 0, 'calls'),
        ],
        notes: [
          `${objects} objects: one network, one bind mount, ${n} containers declared \`created\`.`,
          'CPU and RSS of the one watch process, read from /proc.',
        ],
      };
    },
  );
}
