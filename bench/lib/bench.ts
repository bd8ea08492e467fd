import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startCountingProxy } from './api-proxy.js';
import { withVerdictOfChecks } from './checks.js';
import { cleanupBench } from './cleanup.js';
import type { BenchContext } from './context.js';
import { renderResults } from './report.js';
import type { BenchResults, ScenarioResult } from './results.js';
import {
  describeMachine,
  ensureBerthBuilt,
  ensureCompose,
  ensureEngine,
  ensureImage,
} from './setup.js';
import {
  changeEnv,
  coldApply,
  deleteAll,
  applyNoopProject,
  noopApply,
  noopProject,
} from '../scenarios/apply.js';
import { cliStart, statusCalls, statusOf } from '../scenarios/cli.js';
import { gitScenarios } from '../scenarios/git.js';
import { importMany } from '../scenarios/import.js';
import { multiEngineScenarios } from '../scenarios/multi-engine.js';
import { webScenarios } from '../scenarios/web.js';
import { webLiveScenarios } from '../scenarios/web-live.js';
import { watchScenarios } from '../scenarios/watch.js';
import { restartStorm } from '../scenarios/restart-storm.js';
import { updateScenarios } from '../scenarios/update.js';

export type Mode = 'full' | 'quick' | 'smoke';

export interface BenchOptions {
  mode: Mode;
  root: string;
  /** Where RESULTS.md and results.json go (bench/ for full and quick runs). */
  outDir: string;
  /** Rebuild dist/ first (full and quick runs); smoke uses the build `npm test` made. */
  rebuild: boolean;
  /** Run only the scenarios whose name contains this (for working on one scenario). */
  only?: string;
  log?: (line: string) => void;
}

/** How big and how often, per mode (issue 7: N=50 unless said; --quick a few minutes). */
export const PLAN = {
  full: {
    runs: 5,
    warmup: 1,
    n: 50,
    noopNs: [30, 50, 100],
    validateObjects: 1000,
    idleObjects: 500,
    idleSeconds: 60,
    watch: true,
    gitCommits: 20,
    gitIdleObjects: 100,
    webHeapMinutes: 10,
  },
  quick: {
    runs: 3,
    warmup: 1,
    n: 20,
    noopNs: [20, 30],
    validateObjects: 1000,
    idleObjects: 100,
    idleSeconds: 10,
    watch: true,
    gitCommits: 5,
    gitIdleObjects: 100,
    webHeapMinutes: 1,
  },
  smoke: {
    runs: 1,
    warmup: 0,
    n: 3,
    noopNs: [3],
    validateObjects: 50,
    idleObjects: 0,
    idleSeconds: 0,
    watch: false,
    gitCommits: 0,
    gitIdleObjects: 0,
    webHeapMinutes: 0,
  },
} as const;

/**
 * Sets up, runs every scenario of the mode, writes results.json and RESULTS.md to outDir,
 * and removes every engine object it created — also when a scenario throws.
 */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const plan = PLAN[options.mode];
  const startedAt = Date.now();
  const engine = await ensureEngine();
  ensureImage(options.root);
  const berthEntry = process.env.BENCH_BERTH ?? join(options.root, 'bin', 'berth.mjs');
  if (!process.env.BENCH_BERTH) ensureBerthBuilt(options.root, options.rebuild);
  const composeVersion = options.mode === 'smoke' ? undefined : ensureCompose(log);
  const workDir = join(options.root, 'bench', '.work', `run-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  const proxy = await startCountingProxy(join(workDir, 'engine.sock'));
  const ctx: BenchContext = {
    mode: options.mode,
    root: options.root,
    berthEntry,
    workDir,
    prefix: runPrefix(options.mode),
    stateDir: join(workDir, 'state'),
    proxy,
    compose: composeVersion !== undefined,
    runs: plan.runs,
    warmup: plan.warmup,
    timeoutMs: options.mode === 'smoke' ? 60_000 : 180_000,
    log,
  };
  const scenarios: ScenarioResult[] = [];
  const wanted = (name: string) => !options.only || name.includes(options.only);
  const step = async (name: string, work: () => Promise<ScenarioResult | ScenarioResult[]>) => {
    if (!wanted(name)) return;
    log(`scenario: ${name}`);
    const started = Date.now();
    try {
      const out = await work();
      scenarios.push(...(Array.isArray(out) ? out : [out]).map(withVerdictOfChecks));
      // The full run has a time budget (README); each scenario's share shows where it goes.
      log(`  done in ${Math.round((Date.now() - started) / 1000)} s`);
    } catch (e) {
      // A scenario that cannot finish is reported as such; the others still run.
      const detail = `could not run: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300);
      log(`  ${detail}`);
      scenarios.push({
        id: name.replace(/\W+/g, '-'),
        title: name,
        measure: 'not measured',
        unit: 'ms',
        tools: {},
        bars: [{ text: name, met: undefined, detail }],
        notes: [],
      });
      await cleanupBench(ctx.prefix).catch(() => undefined);
    }
  };
  try {
    await cleanupBench(ctx.prefix);
    await step('cold apply', () => coldApply(ctx, plan.n));
    const callsByN: Record<number, number | undefined> = {};
    for (const n of plan.noopNs) {
      if (!wanted(`no-op apply N=${n}`) && !wanted(`status of ${n}`)) continue;
      if (wanted(`no-op apply N=${n}`)) await step(`no-op apply N=${n}`, () => noopApply(ctx, n));
      else await applyNoopProject(ctx, n);
      callsByN[n] = await statusCalls(ctx, noopProject(ctx, n));
      const largest = n === plan.noopNs[plan.noopNs.length - 1];
      if (largest) await step(`status of ${n}`, () => statusOf(ctx, n, callsByN));
      await cleanupBench(`${noopProject(ctx, n)}-`);
    }
    await step('change one env var', () => changeEnv(ctx, plan.n));
    await step('delete all', () => deleteAll(ctx, plan.n));
    await step('CLI start', () => cliStart(ctx, plan.validateObjects));
    await step('import', () => importMany(options.mode === 'smoke' ? 20 : 500));
    // Three engines of scripts/cluster (not started here: reported as not run when it is down).
    if (options.mode !== 'smoke' || options.only)
      await step('multi-engine', () => multiEngineScenarios(ctx, options.mode === 'full' ? 10 : 5));
    // Updates take seconds per run (a 2 s boot, a health gate): not in a smoke run unless asked.
    if (options.mode !== 'smoke' || options.only)
      await step('update and rollback', () => updateScenarios(ctx));
    if (plan.watch)
      await step('watch', () =>
        watchScenarios(ctx, { idleObjects: plan.idleObjects, idleSeconds: plan.idleSeconds }),
      );
    if (plan.watch)
      await step('git', () =>
        gitScenarios(ctx, {
          commits: plan.gitCommits,
          idleObjects: plan.gitIdleObjects,
          idleSeconds: Math.min(30, plan.idleSeconds),
        }),
      );
    if (plan.watch)
      await step('web view', () =>
        webScenarios(ctx, { kills: plan.n, objects: Math.max(plan.idleObjects, 100) }),
      );
    if (plan.watch)
      await step('web view: live page', () =>
        webLiveScenarios(ctx, {
          containers: 20,
          idleSeconds: Math.min(30, plan.idleSeconds),
          burstSeconds: 3,
          heapMinutes: plan.webHeapMinutes,
        }),
      );
    if (plan.watch)
      await step('restart storm CPU', () =>
        restartStorm(ctx, 4, options.mode === 'smoke' ? 10 : 30),
      );
  } finally {
    await cleanupBench(ctx.prefix).catch((e: Error) => log(`cleanup failed: ${e.message}`));
    await proxy.close();
    rmSync(workDir, { recursive: true, force: true });
  }
  const results: BenchResults = {
    machine: {
      ...describeMachine(engine, options.mode, composeVersion),
      durationS: Math.round((Date.now() - startedAt) / 1000),
    },
    scenarios,
  };
  writeOutputs(options, results);
  return results;
}

/** `bench-` (or BENCH_PREFIX, which must start with it); a smoke run gets its own. */
function runPrefix(mode: Mode): string {
  if (mode === 'smoke') return `bench-smoke${process.pid}-`;
  const prefix = process.env.BENCH_PREFIX ?? 'bench-';
  if (!prefix.startsWith('bench-'))
    throw new Error(`BENCH_PREFIX must start with bench-: ${prefix}`);
  return prefix;
}

function writeOutputs(options: BenchOptions, results: BenchResults): void {
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(join(options.outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  renderMarkdown(options.root, options.outDir, results);
}

/** Re-renders RESULTS.md from an existing results.json (after editing bench/NOTES.md). */
export function rerender(root: string, outDir: string): BenchResults {
  const results = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as BenchResults;
  renderMarkdown(root, outDir, results);
  return results;
}

function renderMarkdown(root: string, outDir: string, results: BenchResults): void {
  const notesPath = join(root, 'bench', 'NOTES.md');
  const analysis = existsSync(notesPath) ? readFileSync(notesPath, 'utf8') : '';
  writeFileSync(join(outDir, 'RESULTS.md'), renderResults(results, analysis));
}
