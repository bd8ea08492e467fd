import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from '../lib/context.js';
import { cleanupBench } from '../lib/cleanup.js';
import { toToolResult } from '../lib/interleave.js';
import { sleep } from '../lib/proc.js';
import type { ScenarioResult } from '../lib/results.js';
import { BENCH_IMAGE } from '../lib/workload.js';
import { idleWindows, startWatch } from '../lib/watch-process.js';
import { limitBar } from './bars.js';

const PORT = 17_950 + (process.pid % 40);

/**
 * Issue 11's bar: under a restart storm berth itself uses < 2 % CPU. `crashers` containers
 * exit with code 3 two seconds after every start (the engine restarts them: `die` events keep
 * coming) and one more fails its healthcheck every second (berth restarts it, backed off).
 * CPU of the one watch process over `seconds`, from /proc. The number counts only when the
 * restarts (status API: berth's plus the engine's) rose during the window.
 */
export async function restartStorm(
  ctx: BenchContext,
  crashers: number,
  seconds: number,
): Promise<ScenarioResult> {
  const project = `${ctx.prefix}storm`;
  const dir = join(ctx.workDir, project);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'storm.yaml'), stormManifest(crashers));
  const watch = await startWatch(ctx, dir, project, PORT, { total: crashers + 1 });
  try {
    await sleep(2000);
    const before = await restartsOf(PORT);
    const { cpu, window } = await idleWindows(watch.pid, seconds);
    const after = await restartsOf(PORT);
    const rose = after > before;
    const cpuResult = toToolResult(
      cpu.map((s) => ({ ...s, ...(rose ? {} : { unverified: true }) })),
    );
    return {
      id: 'restart-storm-cpu',
      title: `restart storm CPU (${crashers} crash-looping containers + 1 unhealthy under berth watch)`,
      measure: `CPU % of the watch process per ${window} s window`,
      unit: '',
      tools: { 'berth CPU %': cpuResult },
      bars: [
        limitBar(
          'berth < 2% CPU under a restart storm',
          rose && cpuResult.runs ? cpuResult.max : undefined,
          2,
          '% (max window)',
        ),
      ],
      notes: [
        `restarts (berth + engine, status API) ${before} → ${after} during the window${rose ? '' : ': no restart happened, the number does not count'}.`,
      ],
    };
  } finally {
    await watch.stop();
    await cleanupBench(`${project}-`);
  }
}

/** Sum of `restarts` over the project's containers, from the controller's status API. */
async function restartsOf(port: number): Promise<number> {
  const status = (await (await fetch(`http://127.0.0.1:${port}/api/v1/status`)).json()) as {
    objects: { restarts?: number | null }[];
  };
  return status.objects.reduce((sum, o) => sum + (o.restarts ?? 0), 0);
}

function stormManifest(crashers: number): string {
  const container = (name: string, args: string, extra = '') =>
    [
      'apiVersion: berth/v1',
      'kind: Container',
      `metadata: {name: ${name}}`,
      'spec:',
      `  image: ${BENCH_IMAGE}`,
      '  command: [sh, -c]',
      `  args: ["${args}"]`,
      extra,
    ]
      .filter(Boolean)
      .join('\n');
  const docs = Array.from({ length: crashers }, (_, i) =>
    container(`crash-${i + 1}`, 'sleep 2; exit 3'),
  );
  docs.push(
    container(
      'sick',
      "trap 'exit 0' TERM; sleep 3600 & wait",
      '  healthcheck: {command: [CMD, "false"], interval: 1s, retries: 1}',
    ),
  );
  return docs.join('\n---\n') + '\n';
}
