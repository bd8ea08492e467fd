import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCountingProxy, type CallCounts, type CountingProxy } from '../lib/api-proxy.js';
import { LIST_CALLS } from '../lib/checks.js';
import type { BenchContext } from '../lib/context.js';
import { engineRequest } from '../lib/engine-http.js';
import { interleave, type Contender, type Sample } from '../lib/interleave.js';
import { timedRun, type Timed } from '../lib/proc.js';
import type { Bar, ScenarioResult } from '../lib/results.js';
import { BENCH_IMAGE } from '../lib/workload.js';
import { limitBar } from './bars.js';

const run = promisify(execFile);

/**
 * Issue 17's bars for a set spanning three engines (`spec.placement.context`): observe of
 * three engines costs no more than the slowest one plus 20 %; a no-op apply makes the four
 * list calls per engine and nothing else. The engines are the cluster of scripts/cluster
 * (three dockerd on tcp://10.231.0.1{1,2,3}:2375), each behind its own counting proxy, each
 * a Docker context of a scratch DOCKER_CONFIG. The bench does not start the cluster: when it
 * is not up (or lacks the image) the scenarios are reported as not run, saying why.
 */

const ENGINES = [1, 2, 3].map((i) => ({ context: `e${i}`, host: `10.231.0.1${i}`, port: 2375 }));

/** One engine of the set: its context, its counting proxy, the socket berth reaches it at. */
interface Lane {
  context: string;
  proxy: CountingProxy;
}

/** Why the cluster cannot be used, or undefined when all three engines answer with the image. */
async function clusterProblem(): Promise<string | undefined> {
  for (const e of ENGINES) {
    // Whatever answers on that address must be an engine (a network's proxy may answer too).
    const ping = await get(e.host, e.port, '/_ping');
    if (ping !== 200)
      return `the cluster is not up: tcp://${e.host}:${e.port} ${ping === undefined ? 'does not answer' : `answers ${ping} to /_ping`} (start it with scripts/cluster/up.sh)`;
    const image = await get(e.host, e.port, `/images/${encodeURIComponent(BENCH_IMAGE)}/json`);
    if (image !== 200) return `tcp://${e.host}:${e.port} has no ${BENCH_IMAGE}`;
  }
  return undefined;
}

/** Status of one GET on a tcp engine; undefined when it does not answer within 2 s. */
async function get(host: string, port: number, path: string): Promise<number | undefined> {
  const { request } = await import('node:http');
  return new Promise((resolve) => {
    const req = request({ host, port, path, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** The scenarios' titles, for the results of a run that could not use the cluster. */
const TITLES = {
  observe: 'observe of three engines (status of a set spanning them)',
  noop: 'no-op apply across three engines',
};

function notRun(id: string, title: string, why: string): ScenarioResult {
  return {
    id,
    title,
    measure: 'not run',
    unit: 'ms',
    tools: {},
    bars: [{ text: title, met: undefined, detail: `not run: ${why}` }],
    notes: [`not run: ${why}`],
  };
}

/** `n` containers per engine, each placed on its engine's context, plus one network each follows. */
function manifest(lanes: readonly Lane[], n: number): string {
  const docs = [
    'apiVersion: berth/v1\nkind: Network\nmetadata: {name: net}\nspec: {driver: bridge}\n',
  ];
  for (const lane of lanes)
    for (let i = 1; i <= n; i++)
      docs.push(
        [
          'apiVersion: berth/v1',
          'kind: Container',
          `metadata: {name: ${lane.context}-c${String(i).padStart(3, '0')}}`,
          'spec:',
          `  image: ${BENCH_IMAGE}`,
          '  init: true',
          '  command: [sleep, "3600"]',
          '  networks: [net]',
          `  placement: {context: ${lane.context}}`,
          '',
        ].join('\n'),
      );
  return docs.join('---\n');
}

/**
 * Both multi-engine scenarios: one set of `n` containers per engine applied once (untimed),
 * then `berth status` of the whole set against `status` of each engine's part alone, then a
 * no-op `berth apply` of the whole set, its calls counted per engine. Everything it made is
 * removed from the three engines at the end.
 */
export async function multiEngineScenarios(
  ctx: BenchContext,
  n: number,
): Promise<ScenarioResult[]> {
  const problem = await clusterProblem();
  if (problem) {
    ctx.log(`  not run: ${problem}`);
    return [
      notRun('multi-engine-observe', TITLES.observe, problem),
      notRun('multi-engine-noop', TITLES.noop, problem),
    ];
  }
  const dir = join(ctx.workDir, 'multi-engine');
  const config = join(dir, 'docker-config');
  mkdirSync(dir, { recursive: true });
  const lanes: Lane[] = [];
  for (const e of ENGINES)
    lanes.push({
      context: e.context,
      proxy: await startCountingProxy(join(dir, `${e.context}.sock`), {
        host: e.host,
        port: e.port,
      }),
    });
  const project = `${ctx.prefix}multi`;
  const env = {
    ...process.env,
    DOCKER_CONFIG: config,
    DOCKER_HOST: '',
    DOCKER_CONTEXT: '',
    XDG_STATE_HOME: ctx.stateDir,
  };
  const berth = (args: string[], context = 'e1'): Promise<Timed> =>
    timedRun(process.execPath, [ctx.berthEntry, ...args, '-p', project, '--context', context], {
      env,
      timeoutMs: ctx.timeoutMs,
    });
  try {
    for (const lane of lanes)
      await run(
        'docker',
        ['context', 'create', lane.context, '--docker', `host=unix://${lane.proxy.socketPath}`],
        { env: { ...process.env, DOCKER_CONFIG: config } },
      );
    const whole = join(dir, 'all');
    mkdirSync(whole, { recursive: true });
    writeFileSync(join(whole, 'app.yaml'), manifest(lanes, n));
    for (const lane of lanes) {
      mkdirSync(join(dir, lane.context), { recursive: true });
      writeFileSync(join(dir, lane.context, 'app.yaml'), manifest([lane], n));
    }
    const setUp = await berth(['apply', '-f', whole]);
    if (setUp.code !== 0)
      throw new Error(`berth apply (set-up) exit ${setUp.code}: ${setUp.stderr.slice(-300)}`);
    const missing = await notAllRunning(lanes, project, n);
    if (missing) throw new Error(`set-up: ${missing}`);
    return [
      await observeScenario(ctx, lanes, berth, whole, dir, n),
      await noopScenario(ctx, lanes, berth, whole, project, n),
    ];
  } finally {
    await removeProject(lanes, project).catch((e: Error) => ctx.log(`  cleanup: ${e.message}`));
    for (const lane of lanes) await lane.proxy.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A run of berth through the lanes' proxies, its calls counted per engine. */
async function countedOnLanes(
  lanes: readonly Lane[],
  work: () => Promise<Timed>,
  okCodes = [0],
): Promise<Sample & { perEngine: Record<string, CallCounts> }> {
  for (const lane of lanes) lane.proxy.reset();
  const t = await work();
  const perEngine = Object.fromEntries(lanes.map((l) => [l.context, l.proxy.counts()]));
  const calls: CallCounts = {};
  for (const [context, counts] of Object.entries(perEngine))
    for (const [route, k] of Object.entries(counts)) calls[`${context} ${route}`] = k;
  const mutations = lanes.flatMap((l) => l.proxy.mutations());
  const ok = okCodes.includes(t.code);
  return {
    ms: t.ms,
    ok,
    timedOut: t.timedOut,
    calls,
    mutations,
    stdout: t.stdout,
    perEngine,
    ...(ok ? {} : { error: `exit ${t.code}: ${(t.stderr || t.stdout).trim().slice(-300)}` }),
  };
}

/** What is wrong with one engine's calls: anything but each of the four lists once. */
function notOnlyLists(context: string, counts: CallCounts | undefined): string | undefined {
  const seen = counts ?? {};
  const extra = Object.entries(seen).filter(([route, k]) => !LIST_CALLS.includes(route) || k !== 1);
  const missing = LIST_CALLS.filter((route) => seen[route] === undefined);
  if (!extra.length && !missing.length) return undefined;
  const shown = Object.entries(seen).map(([route, k]) => `${route} ×${k}`);
  return `${context}: ${shown.join(', ') || 'no calls'} (want the four lists once each)`;
}

/** berth status printed every one of the engine's n containers as running and in sync. */
function shownRunning(stdout: string, lanes: readonly Lane[], n: number): string | undefined {
  for (const lane of lanes)
    for (let i = 1; i <= n; i++) {
      const name = `${lane.context}-c${String(i).padStart(3, '0')}`;
      if (
        !new RegExp(`^Container/${name}(@\\S+)?\\s+running\\s+running\\s+yes\\b`, 'm').test(stdout)
      )
        return `Container/${name} not shown as running and in sync`;
    }
  return undefined;
}

async function observeScenario(
  ctx: BenchContext,
  lanes: Lane[],
  berth: (args: string[], context?: string) => Promise<Timed>,
  whole: string,
  dir: string,
  n: number,
): Promise<ScenarioResult> {
  const status = (files: string, context: string, on: Lane[]): Contender => ({
    name: on.length > 1 ? 'berth status, 3 engines' : `berth status, ${context} alone`,
    run: () => countedOnLanes(lanes, () => berth(['status', '-f', files], context), [0, 3]),
    verify: async (s) => {
      const sample = s as Sample & { perEngine?: Record<string, CallCounts> };
      for (const lane of on) {
        const wrong = notOnlyLists(lane.context, sample.perEngine?.[lane.context]);
        if (wrong) return wrong;
      }
      return shownRunning(s.stdout ?? '', on, n);
    },
  });
  const contenders = [
    status(whole, 'e1', lanes),
    ...lanes.map((l) => status(join(dir, l.context), l.context, [l])),
  ];
  const tools = await interleave(contenders, ctx.runs, ctx.warmup, ctx.log);
  const all = tools['berth status, 3 engines'];
  const singles = lanes.map((l) => tools[`berth status, ${l.context} alone`]);
  const slowest = singles.every((t) => t?.runs)
    ? Math.max(...singles.map((t) => t?.median ?? 0))
    : undefined;
  const limit = slowest === undefined ? undefined : Math.round(slowest * 1.2 * 10) / 10;
  const bar: Bar =
    all?.runs && limit !== undefined
      ? {
          text: 'three engines ≤ the slowest one alone + 20 %',
          met: all.median <= limit,
          ratio: Math.round((all.median / (slowest ?? 1)) * 100) / 100,
          detail: `${all.median} ms vs slowest alone ${slowest} ms (limit ${limit} ms)`,
        }
      : {
          text: 'three engines ≤ the slowest one alone + 20 %',
          met: undefined,
          detail: 'not measured',
        };
  return {
    id: 'multi-engine-observe',
    title: TITLES.observe,
    measure: 'wall time of `berth status -f` (observe of every engine, in parallel, then the view)',
    unit: 'ms',
    tools,
    bars: [bar],
    notes: [
      `${n} containers and one network per engine; the engines are the three dockerd of scripts/cluster, each behind a counting proxy.`,
      'Checked after each run (not timed): each engine got the four list calls once and nothing else; every container shown running and in sync.',
    ],
  };
}

async function noopScenario(
  ctx: BenchContext,
  lanes: Lane[],
  berth: (args: string[], context?: string) => Promise<Timed>,
  whole: string,
  project: string,
  n: number,
): Promise<ScenarioResult> {
  let last: Record<string, CallCounts> | undefined;
  const contenders: Contender[] = [
    {
      name: 'berth apply (no-op), 3 engines',
      run: async () => {
        const s = await countedOnLanes(lanes, () => berth(['apply', '-f', whole]));
        last = s.perEngine;
        return s;
      },
      verify: async (s) => {
        const sample = s as Sample & { perEngine?: Record<string, CallCounts> };
        for (const lane of lanes) {
          const wrong = notOnlyLists(lane.context, sample.perEngine?.[lane.context]);
          if (wrong) return wrong;
        }
        return notAllRunning(lanes, project, n);
      },
    },
  ];
  const tools = await interleave(contenders, ctx.runs, ctx.warmup, ctx.log);
  const perEngine = lanes.map((l) => [l.context, sum(last?.[l.context])] as const);
  const worst = last ? Math.max(...perEngine.map(([, k]) => k)) : undefined;
  return {
    id: 'multi-engine-noop',
    title: TITLES.noop,
    measure: 'wall time of an apply with nothing to do on any engine; engine calls per engine',
    unit: 'ms',
    tools,
    bars: [
      limitBar('4 list calls per engine and nothing else (most on one engine)', worst, 4, 'calls'),
    ],
    notes: [
      `calls per engine (last run): ${perEngine.map(([c, k]) => `${c} ${k}`).join(', ')}; ${JSON.stringify(last ?? {})}`,
      'Checked after each run (not timed): each engine got exactly the four list calls, none mutating; every container still running.',
    ],
  };
}

const sum = (counts: CallCounts | undefined) =>
  Object.values(counts ?? {}).reduce((a, b) => a + b, 0);

interface Listed {
  Id: string;
  State: string;
  Labels: Record<string, string>;
}

/** What the project lacks on its engines: each engine must run its n containers. */
async function notAllRunning(
  lanes: readonly Lane[],
  project: string,
  n: number,
): Promise<string | undefined> {
  for (const lane of lanes) {
    const listed = await containersOn(lane, project);
    const running = listed.filter((c) => c.State === 'running').length;
    if (running !== n) return `${lane.context}: ${running} of ${n} containers running`;
  }
  return undefined;
}

async function containersOn(lane: Lane, project: string): Promise<Listed[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`berth.project=${project}`] }));
  const answer = await engineRequest(
    'GET',
    `/containers/json?all=1&filters=${filters}`,
    undefined,
    lane.proxy.socketPath,
  );
  return JSON.parse(answer.body) as Listed[];
}

/** Force-removes the project's containers and networks from every engine (only the bench's). */
async function removeProject(lanes: readonly Lane[], project: string): Promise<void> {
  if (!project.startsWith('bench-')) throw new Error(`refusing to remove ${project}`);
  for (const lane of lanes) {
    const at = lane.proxy.socketPath;
    for (const c of await containersOn(lane, project))
      await engineRequest('DELETE', `/containers/${c.Id}?force=1&v=1`, undefined, at);
    const filters = encodeURIComponent(JSON.stringify({ label: [`berth.project=${project}`] }));
    const networks = JSON.parse(
      (await engineRequest('GET', `/networks?filters=${filters}`, undefined, at)).body,
    ) as { Id: string }[];
    for (const net of networks) await engineRequest('DELETE', `/networks/${net.Id}`, undefined, at);
  }
}
