import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { berthCli, composeCli, mustSucceed, type BenchContext } from '../lib/context.js';
import { cleanupBench } from '../lib/cleanup.js';
import { envOf } from '../lib/checks.js';
import { interleave, toToolResult, type Contender, type Sample } from '../lib/interleave.js';
import { CLIENT_SCRIPT, gapMs, parseAnswers, type Answer } from '../lib/load-client.js';
import { engineCall, engineRequest } from '../lib/engine-http.js';
import { sleep, timedRun } from '../lib/proc.js';
import { RAW_LABEL } from '../lib/raw-driver.js';
import type { ScenarioResult } from '../lib/results.js';
import { BENCH_IMAGE } from '../lib/workload.js';
import { ratioBar } from './bars.js';

/**
 * Issue 14's bench: an update of one HTTP service with a 2 s boot while another container on
 * the project network asks it for `/` about 100 times a second, by name. Failed requests are
 * counted for berth start-first, berth stop-first, `docker-compose up -d` (recreate) and the
 * raw engine (stop, remove, create, start, until healthy: the floor of a stop-first update);
 * every run checks the new env value reached the engine. Then `berth rollback` against a
 * normal update of the same set.
 */
export async function updateScenarios(ctx: BenchContext): Promise<ScenarioResult[]> {
  return [...(await updateDowntime(ctx)), await rollbackTime(ctx)];
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

/** The load client's answers so far (load-client.ts). */
async function answers(client: string): Promise<Answer[]> {
  return parseAnswers(await docker('logs', client));
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

/** Polls the container's health every 50 ms until `healthy`; false when unhealthy or after 20 s. */
async function healthy(id: string): Promise<boolean> {
  const end = Date.now() + 20_000;
  while (Date.now() < end) {
    const info = JSON.parse(await engineCall('GET', `/containers/${id}/json`)) as {
      State: { Health?: { Status: string } };
    };
    const status = info.State.Health?.Status;
    if (status === 'healthy') return true;
    if (status === 'unhealthy') return false;
    await sleep(50);
  }
  return false;
}

/**
 * The raw engine's stop-first update (issue 14's floor for berth stop-first): plain Engine
 * API calls — stop and remove the old container, create and start the new one with the same
 * healthcheck and network alias, then poll until it is healthy. No observation, no plan.
 */
function rawSide(ctx: BenchContext): Side {
  const project = `${ctx.prefix}upd-raw`;
  const network = `${project}-default`;
  const name = `${project}-app`;
  return {
    name: 'raw',
    project,
    network,
    app: async () => name,
    apply: async (mode) => {
      const started = performance.now();
      // The first apply of a run makes the network (prepare cleaned everything up). Asked
      // first: this engine creates a second network of the same name when told to.
      if ((await engineRequest('GET', `/networks/${network}`)).status === 404)
        await engineCall('POST', '/networks/create', {
          Name: network,
          CheckDuplicate: true,
          Labels: { [RAW_LABEL]: project },
        });
      const old = await engineRequest('GET', `/containers/${name}/json`);
      if (old.status === 200) {
        await engineCall('POST', `/containers/${name}/stop`);
        await engineCall('DELETE', `/containers/${name}`);
      }
      const created = JSON.parse(
        await engineCall('POST', `/containers/create?name=${name}`, {
          Image: BENCH_IMAGE,
          Cmd: ['sh', '-c', APP_SCRIPT.replaceAll('$$', '$')],
          Env: [`MODE=${mode}`],
          Labels: { [RAW_LABEL]: project },
          Healthcheck: {
            Test: ['CMD-SHELL', HEALTH],
            Interval: 500e6,
            Timeout: 1e9,
            Retries: 3,
            StartPeriod: 3e9,
          },
          HostConfig: { Init: true, NetworkMode: network },
          NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: ['app'] } } },
        }),
      ) as { Id: string };
      await engineCall('POST', `/containers/${created.Id}/start`);
      const ok = await healthy(created.Id);
      return { ms: performance.now() - started, ok, ...(ok ? {} : { error: 'never healthy' }) };
    },
  };
}

/**
 * One contender of the downtime scenario: prepare applies the current mode and starts the
 * load client (not measured); run applies the other mode and counts the client's failed
 * requests from just before the apply until it returned plus one second. `ms` holds the count;
 * `gaps` gets the same run's gap as the client saw it (ms; load-client.ts), failed when the
 * run fails or its check does, in the order interleave runs them (warm-ups first).
 */
function downtimeContender(ctx: BenchContext, side: Side, gaps: Sample[]): Contender {
  let mode = 'a';
  const client = `${side.project}-client`;
  return {
    name: side.name,
    prepare: async () => {
      // Counted failed until run replaces it: a thrown prepare is a failed run in interleave.
      gaps.push({ ms: 0, ok: false, error: 'set-up failed' });
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
      const failed = during.filter((a) => !a.ok).length;
      const gap = gapMs(during);
      ctx.log(`    ${side.name}: ${failed} of ${during.length} requests failed, gap ${gap} ms`);
      gaps[gaps.length - 1] = { ...applied, ms: gap };
      return { ...applied, ms: failed };
    },
    verify: async () => {
      const value = await envOf(await side.app(), 'MODE');
      const missing = value === mode ? undefined : `MODE is ${value ?? 'unset'}, not ${mode}`;
      if (missing) gaps[gaps.length - 1] = { ms: 0, ok: false, unverified: true, error: missing };
      return missing;
    },
  };
}

async function updateDowntime(ctx: BenchContext): Promise<ScenarioResult[]> {
  const sides = [berthSide(ctx, 'start-first'), berthSide(ctx, 'stop-first'), rawSide(ctx)];
  if (ctx.compose) sides.push(composeSide(ctx));
  const gaps = new Map(sides.map((s) => [s.name, [] as Sample[]]));
  const tools = await interleave(
    sides.map((s) => downtimeContender(ctx, s, gaps.get(s.name)!)),
    ctx.runs,
    ctx.warmup,
    ctx.log,
  );
  for (const s of sides) await cleanupBench(`${s.project}`);
  const gapTools = Object.fromEntries(
    sides.map((s) => [s.name, toToolResult(gaps.get(s.name)!.slice(ctx.warmup))]),
  );
  const client =
    'The client is a busybox loop on the project network asking http://app:8080/ every ~10 ms.';
  const checked =
    'Checked after each run (not counted): the app container on the engine has the new MODE.';
  return [
    {
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
      notes: [client, checked],
    },
    {
      id: 'update-gap',
      title: 'gap of a stop-first update vs the raw engine (same runs)',
      measure:
        'time the client got no answer: last served request before the first failed one to the first served after the last',
      unit: 'ms',
      tools: gapTools,
      bars: [
        ratioBar(
          'berth stop-first gap ≤ 1.2× the raw engine (stop, remove, create, start, until healthy)',
          gapTools['berth stop-first'],
          gapTools.raw,
          1.2,
        ),
      ],
      notes: [
        "Measured in the runs of the downtime scenario above, from the client's timestamps (its uptime, 10 ms resolution).",
        'raw: Engine API calls alone (stop, remove, create with the same healthcheck and alias, start), then health polled every 50 ms.',
        checked,
      ],
    },
  ];
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
