import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envOf } from '../lib/checks.js';
import type { BenchContext } from '../lib/context.js';
import { engineCall } from '../lib/engine-http.js';
import { nowMs, waitForEvent } from '../lib/events.js';
import { commitFiles, git, initRepo, startGitDaemon } from '../lib/git-repo.js';
import { toToolResult, type Sample } from '../lib/interleave.js';
import { sleep } from '../lib/proc.js';
import type { ScenarioResult } from '../lib/results.js';
import { percentile, summarise } from '../lib/stats.js';
import { idleWindows } from '../lib/watch-process.js';
import { withWatch } from './watch.js';
import { berthManifest, BENCH_IMAGE } from '../lib/workload.js';
import { limitBar } from './bars.js';

const PORT_BASE = 18_400 + (process.pid % 300);
const CONVERGE_TIMEOUT = 30_000;

/** The git source's bars (issue 15): commit → converged, a remote's no-op check, idle CPU. */
export async function gitScenarios(
  ctx: BenchContext,
  sizes: { commits: number; idleObjects: number; idleSeconds: number },
): Promise<ScenarioResult[]> {
  return [
    await commitToConverged(ctx, sizes.commits),
    await remoteNoopCheck(ctx),
    await gitIdle(ctx, sizes.idleObjects, sizes.idleSeconds),
  ];
}

/** One container that stops at once; stop-first without a gate, as compose's recreate. */
function web(mode: string): string {
  return `apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${BENCH_IMAGE}
  init: true
  command: [sleep, "3600"]
  env: {MODE: ${mode}}
  update: {order: stop-first, minReady: 0s}
`;
}

const label = async (name: string, key: string) =>
  (
    JSON.parse(await engineCall('GET', `/containers/${name}/json`)) as {
      Config: { Labels: Record<string, string> };
    }
  ).Config.Labels[key];

/**
 * `git commit` in a local repository watched by `berth watch --git`, timed from just before
 * the commit until the container with the new value started (stop-first, no gate). Each
 * run is checked: the new value in the container and the commit in its `berth.commit`.
 */
async function commitToConverged(ctx: BenchContext, commits: number): Promise<ScenarioResult> {
  const project = `${ctx.prefix}git-commit`;
  const name = `${project}-web`;
  const repo = join(ctx.workDir, 'git-commit');
  initRepo(repo);
  commitFiles(repo, 'v0', { 'deploy/web.yaml': web('v0') });
  const samples: Sample[] = [];
  await withWatch(
    ctx,
    ['--git', repo, '--path', 'deploy'],
    project,
    PORT_BASE,
    { total: 1 },
    async () => {
      for (let i = 1; i <= commits + ctx.warmup; i++) {
        const mode = `v${i}`;
        writeFileSync(join(repo, 'deploy', 'web.yaml'), web(mode));
        git(repo, 'add', '-A');
        const started = await waitForEvent(
          { event: ['start'], type: ['container'] },
          (e) => e.Actor.Attributes.name === name,
          CONVERGE_TIMEOUT,
        );
        const t0 = nowMs();
        git(repo, 'commit', '--quiet', '-m', mode);
        const sha = git(repo, 'rev-parse', 'HEAD').trim();
        let sample: Sample;
        try {
          sample = { ms: (await started.arrived) - t0, ok: true };
          const got = await envOf(name, 'MODE');
          const stamped = await label(name, 'berth.commit');
          if (got !== mode || stamped !== sha)
            sample = {
              ...sample,
              ok: false,
              unverified: true,
              error: `did not do the work: MODE=${got} (want ${mode}), berth.commit=${stamped} (want ${sha})`,
            };
        } catch (e) {
          sample = { ms: 0, ok: false, timedOut: true, error: (e as Error).message };
        }
        ctx.log(`  commit ${i}: ${sample.ok ? `${sample.ms.toFixed(0)} ms` : sample.error}`);
        if (i > ctx.warmup) samples.push(sample);
      }
    },
  );
  const ms = samples.filter((s) => s.ok).map((s) => s.ms);
  const result = toToolResult(samples);
  const p95 = percentile(ms, 95);
  return {
    id: 'git-commit-converged',
    title: `git commit → converged (one container, local repository, ${commits} commits)`,
    measure: '`git commit` started → the container with the new value started (engine event)',
    unit: 'ms',
    tools: { 'berth watch --git': result },
    bars: [
      limitBar('median < 1 s', result.runs ? result.median : undefined, 1000, 'ms'),
      limitBar('p95 < 1.5 s', p95 === undefined ? undefined : Math.round(p95), 1500, 'ms (p95)'),
    ],
    notes: [
      'The container declares `update: {order: stop-first, minReady: 0s}`: converged is the new container started (the default start-first update waits a 3 s minReady gate by design).',
      "Checked after each commit (not timed): the container has the commit's value and its `berth.commit` label is the commit.",
    ],
  };
}

/** `berth_source_ref_checks_total` and `berth_source_fetches_total` from the controller's /metrics. */
async function sourceCounters(port: number): Promise<{ checks: number; fetches: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const read = (metric: string) =>
    Number(new RegExp(`^${metric} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    checks: read('berth_source_ref_checks_total'),
    fetches: read('berth_source_fetches_total'),
  };
}

/**
 * A remote (`git daemon` on 127.0.0.1) whose ref does not move, checked every second for a
 * while: each check must be one request to the daemon (its own log, not berth's word), with
 * no fetch and no mutating engine call.
 */
async function remoteNoopCheck(ctx: BenchContext): Promise<ScenarioResult> {
  const project = `${ctx.prefix}git-remote`;
  const base = join(ctx.workDir, 'git-remote');
  const work = join(base, 'work');
  initRepo(work);
  commitFiles(work, 'v0', { 'deploy/web.yaml': web('v0') });
  mkdirSync(base, { recursive: true });
  execFileSync('git', ['clone', '--quiet', '--bare', work, join(base, 'app.git')]);
  const daemon = await startGitDaemon(base, PORT_BASE + 10);
  const port = PORT_BASE + 1;
  const seconds = ctx.mode === 'full' ? 20 : 6;
  try {
    const url = `git://127.0.0.1:${daemon.port}/app.git`;
    const args = ['--git', url, '--path', 'deploy', '--interval', '1s'];
    return await withWatch(ctx, args, project, port, { total: 1 }, async () => {
      await sleep(1500);
      const before = await sourceCounters(port);
      const requestsBefore = daemon.requests();
      ctx.proxy.reset();
      await sleep(seconds * 1000);
      const after = await sourceCounters(port);
      const requests = daemon.requests() - requestsBefore;
      const mutations = ctx.proxy.mutations().length;
      const checks = after.checks - before.checks;
      const fetches = after.fetches - before.fetches;
      const count = (n: number) => ({ ...summarise([n]), samples: [n], failures: 0, timeouts: 0 });
      return {
        id: 'git-remote-noop',
        title: `git remote, ref unchanged: ${seconds} s of checks every 1 s`,
        measure:
          'counts over the window: ref checks (berth /metrics), requests the git daemon logged, fetches, mutating engine calls',
        unit: '',
        tools: {
          'ref checks': count(checks),
          'git daemon requests': count(requests),
          fetches: count(fetches),
          'mutating engine calls': count(mutations),
        },
        bars: [
          {
            text: 'one ref request per check',
            met: checks > 0 ? requests === checks : undefined,
            detail: `${requests} daemon requests for ${checks} checks`,
          },
          limitBar('zero fetches', fetches, 0, 'fetches'),
          limitBar('zero mutating engine calls', mutations, 0, 'calls'),
        ],
        notes: [
          'The daemon counts `upload-pack` requests in its --verbose log: a fetch would be a second one.',
        ],
      };
    });
  } finally {
    daemon.stop();
  }
}

/** Idle CPU of `berth watch --git` on a local repository declaring `objects` objects. */
async function gitIdle(
  ctx: BenchContext,
  objects: number,
  seconds: number,
): Promise<ScenarioResult> {
  const project = `${ctx.prefix}git-idle`;
  const repo = join(ctx.workDir, 'git-idle');
  const n = objects - 2;
  initRepo(repo);
  const siteDir = join(ctx.workDir, 'site');
  mkdirSync(siteDir, { recursive: true });
  const manifest = berthManifest({
    project,
    n,
    init: true,
    envValue: 'a',
    state: 'created',
    siteDir,
  });
  commitFiles(repo, 'objects', { 'deploy/objects.yaml': manifest });
  // A resync every 20 s (default 60 s), so a 30 s window holds at least one: stricter and shorter.
  const args = ['--git', repo, '--path', 'deploy', '--resync', '20s'];
  return withWatch(ctx, args, project, PORT_BASE + 2, { running: 0, total: n }, async (watch) => {
    await sleep(3000);
    ctx.proxy.reset();
    const { cpu, rss, window } = await idleWindows(watch.pid, seconds);
    const mutations = ctx.proxy.mutations().length;
    const cpuResult = toToolResult(cpu);
    const rssResult = toToolResult(rss);
    return {
      id: 'git-idle',
      title: `berth watch --git with ${objects} objects, idle ${seconds} s`,
      measure: `CPU % per ${window} s window and RSS (MB) at its end`,
      unit: '',
      tools: { 'CPU %': cpuResult, 'RSS MB': rssResult },
      bars: [
        limitBar(
          '≤ 1% CPU in every window',
          cpuResult.runs ? cpuResult.max : undefined,
          1,
          '% (max window)',
        ),
        limitBar('no mutating engine call while idle', mutations, 0, 'calls'),
      ],
      notes: [
        `${objects} objects: one network, one bind mount, ${n} containers declared \`created\`, in one local repository; the ref is watched, not polled; \`--resync 20s\`, so every 30 s holds a full resync.`,
      ],
    };
  });
}
