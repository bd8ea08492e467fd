import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { berthCli, composeCli, mustSucceed, type BenchContext } from '../lib/context.js';
import { cleanupBench } from '../lib/cleanup.js';
import { envOf } from '../lib/checks.js';
import { interleave, type Contender, type Sample } from '../lib/interleave.js';
import { sleep, timedRun } from '../lib/proc.js';
import type { ScenarioResult } from '../lib/results.js';
import { BENCH_IMAGE } from '../lib/workload.js';
import { ratioBar } from './bars.js';

/**
 * Issue 14's bench: an update of one HTTP service with a 2 s boot while another container on
 * the project network asks it for `/` about 100 times a second, by name. Failed requests are
 * counted for berth start-first, berth stop-first and `docker-compose up -d` (recreate); every
 * run checks the new env value reached the engine. Then `berth rollback` against a normal
 * update of the same set.
 */
export async function updateScenarios(ctx: BenchContext): Promise<ScenarioResult[]> {
  return [await updateDowntime(ctx), await rollbackTime(ctx)];
}

/**
 * busybox httpd that serves its MODE after a 2 s boot; healthy once it answers. Its start
 * period covers the boot, as a real app declares one: without it the engine reports
 * `unhealthy` after three failed probes (1.5 s), before the server is up, and berth's gate
 * fails at that event (the earlier runs of this scenario failed every berth run so).
 */
const APP_SCRIPT =
  'sleep 2; mkdir -p /www && echo $$MODE > /www/index.html && exec httpd -f -p 8080 -h /www';
const HEALTH = 'wget -q -O /dev/null http://127.0.0.1:8080/';
/** One request every ~10 ms, one line per answer; busybox wget (its -T crashes here). */
const CLIENT_SCRIPT =
  'while true; do if wget -q -O /dev/null http://app:8080/ 2>/dev/null; then echo ok; else echo fail; fi; sleep 0.01; done';

function berthApp(mode: string, order: string): string {
  return `apiVersion: berth/v1
kind: Container
metadata: {name: app}
spec:
  image: ${BENCH_IMAGE}
  init: true
  command: [sh, -c, "${APP_SCRIPT}"]
  env: {MODE: ${mode}}
  healthcheck: {command: [CMD-SHELL, "${HEALTH}"], interval: 500ms, timeout: 1s, retries: 3, startPeriod: 3s}
  update: {order: ${order}, healthTimeout: 20s}
`;
}

function composeApp(mode: string): string {
  return `version: "2.4"
services:
  app:
    image: ${BENCH_IMAGE}
    init: true
    command: [sh, -c, "${APP_SCRIPT}"]
    environment: {MODE: ${mode}}
    healthcheck: {test: [CMD-SHELL, "${HEALTH}"], interval: 500ms, timeout: 1s, retries: 3, start_period: 3s}
`;
}

const docker = async (...args: string[]) => {
  const t = await timedRun('docker', args, { timeoutMs: 60_000 });
  mustSucceed(`docker ${args[0]}`, t);
  return t.stdout.trim();
};

/** The load client's answers so far (`ok`/`fail`, one per line). */
async function answers(client: string): Promise<string[]> {
  return (await docker('logs', client)).split('\n').filter((l) => l === 'ok' || l === 'fail');
}

interface Side {
  name: string;
  project: string;
  /** Engine name of the app container, once applied. */
  app: () => Promise<string>;
  network: string;
  apply: (mode: string) => Promise<Sample>;
}

function berthSide(ctx: BenchContext, order: 'start-first' | 'stop-first'): Side {
  const project = `${ctx.prefix}upd-${order === 'start-first' ? 'sf' : 'pf'}`;
  const file = join(ctx.workDir, project, 'app.yaml');
  mkdirSync(join(ctx.workDir, project), { recursive: true });
  return {
    name: `berth ${order}`,
    project,
    network: `${project}-default`,
    app: async () => `${project}-app`,
    apply: async (mode) => {
      writeFileSync(file, berthApp(mode, order));
      const t = await berthCli(ctx, ['apply', '-f', file, '-p', project, '--timeout', '90s']);
      return { ms: t.ms, ok: t.code === 0, ...(t.code ? { error: t.stderr.slice(-300) } : {}) };
    },
  };
}

function composeSide(ctx: BenchContext): Side {
  const project = `${ctx.prefix}upd-compose`;
  const file = join(ctx.workDir, project, 'docker-compose.yml');
  mkdirSync(join(ctx.workDir, project), { recursive: true });
  return {
    name: 'compose',
    project,
    network: `${project}_default`,
    app: () =>
      docker(
        'ps',
        '-q',
        '--filter',
        `label=com.docker.compose.project=${project}`,
        '--filter',
        'label=com.docker.compose.service=app',
      ),
    apply: async (mode) => {
      writeFileSync(file, composeApp(mode));
      const t = await composeCli(ctx, file, project, ['up', '-d']);
      return { ms: t.ms, ok: t.code === 0, ...(t.code ? { error: t.stderr.slice(-300) } : {}) };
    },
  };
}

/**
 * One contender of the downtime scenario: prepare applies the current mode and starts the
 * load client (not measured); run applies the other mode and counts the client's failed
 * requests from just before the apply until it returned plus one second. `ms` holds the count.
 */
function downtimeContender(ctx: BenchContext, side: Side): Contender {
  let mode = 'a';
  const client = `${side.project}-client`;
  return {
    name: side.name,
    prepare: async () => {
      await cleanupBench(`${side.project}-`);
      await cleanupBench(`${side.project}_`);
      const first = await side.apply(mode);
      if (!first.ok) throw new Error(`set-up apply failed: ${first.error ?? ''}`);
      await docker(
        'run',
        '-d',
        '--name',
        client,
        '--network',
        side.network,
        BENCH_IMAGE,
        'sh',
        '-c',
        CLIENT_SCRIPT,
      );
      await sleep(1_500);
    },
    run: async () => {
      const before = (await answers(client)).length;
      mode = mode === 'a' ? 'b' : 'a';
      const applied = await side.apply(mode);
      await sleep(1_000);
      const during = (await answers(client)).slice(before);
      await docker('rm', '-f', client);
      const failed = during.filter((l) => l === 'fail').length;
      ctx.log(`    ${side.name}: ${failed} of ${during.length} requests failed`);
      return { ...applied, ms: failed };
    },
    verify: async () => {
      const value = await envOf(await side.app(), 'MODE');
      return value === mode ? undefined : `MODE is ${value ?? 'unset'}, not ${mode}`;
    },
  };
}

async function updateDowntime(ctx: BenchContext): Promise<ScenarioResult> {
  const sides = [berthSide(ctx, 'start-first'), berthSide(ctx, 'stop-first')];
  if (ctx.compose) sides.push(composeSide(ctx));
  const tools = await interleave(
    sides.map((s) => downtimeContender(ctx, s)),
    ctx.runs,
    ctx.warmup,
    ctx.log,
  );
  for (const s of sides) await cleanupBench(`${s.project}`);
  return {
    id: 'update-downtime',
    title: 'update of an HTTP service with a 2 s boot under ~100 req/s',
    measure: 'failed requests from the start of the update until 1 s after it returned',
    unit: 'requests',
    tools,
    bars: [
      ratioBar(
        'berth start-first ≤ 10 % of docker-compose up -d (recreate) failures',
        tools['berth start-first'],
        tools.compose,
        0.1,
      ),
    ],
    notes: [
      'The client is a busybox loop on the project network asking http://app:8080/ every ~10 ms.',
      'Checked after each run (not counted): the app container on the engine has the new MODE.',
    ],
  };
}

/** `berth rollback` to the previous apply against a normal update between the same two sets. */
async function rollbackTime(ctx: BenchContext): Promise<ScenarioResult> {
  const update = berthSide(ctx, 'start-first');
  const back = { ...berthSide(ctx, 'start-first'), project: `${ctx.prefix}upd-rb` };
  const file = join(ctx.workDir, back.project, 'app.yaml');
  mkdirSync(join(ctx.workDir, back.project), { recursive: true });
  const applyBack = async (mode: string) => {
    writeFileSync(file, berthApp(mode, 'start-first'));
    mustSucceed('apply', await berthCli(ctx, ['apply', '-f', file, '-p', back.project]));
  };
  let mode = 'a';
  const contenders: Contender[] = [
    {
      name: 'update',
      prepare: async () => void (await update.apply(mode)),
      run: () => update.apply((mode = mode === 'a' ? 'b' : 'a')),
      verify: async () =>
        (await envOf(`${update.project}-app`, 'MODE')) === mode ? undefined : 'MODE not changed',
    },
    {
      name: 'rollback',
      prepare: async () => {
        await applyBack('a');
        await applyBack('b');
      },
      run: async () => {
        const t = await berthCli(ctx, ['rollback', '-p', back.project, '--timeout', '90s']);
        return { ms: t.ms, ok: t.code === 0, ...(t.code ? { error: t.stderr.slice(-300) } : {}) };
      },
      verify: async () =>
        (await envOf(`${back.project}-app`, 'MODE')) === 'a' ? undefined : 'not rolled back',
    },
  ];
  const tools = await interleave(contenders, ctx.runs, ctx.warmup, ctx.log);
  await cleanupBench(`${update.project}-`);
  await cleanupBench(`${back.project}-`);
  return {
    id: 'rollback-time',
    title: 'berth rollback vs a normal update of the same set',
    measure: 'wall time of the command (start-first, health-gated)',
    unit: 'ms',
    tools,
    bars: [ratioBar('rollback ≤ 1.2× a normal update', tools.rollback, tools.update, 1.2)],
    notes: ['Checked after each run: the env value the command went to is on the engine.'],
  };
}
