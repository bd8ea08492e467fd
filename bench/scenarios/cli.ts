import { createRequire } from 'node:module';
import {
  berthCli,
  composeCli,
  countedSample,
  workloadFor,
  type BenchContext,
} from '../lib/context.js';
import { engineCall, labelFilter } from '../lib/engine-http.js';
import { interleave, type Contender } from '../lib/interleave.js';
import { underLoad } from '../lib/machine-load.js';
import { timedRun, timeIt } from '../lib/proc.js';
import type { ScenarioResult } from '../lib/results.js';
import { noMutations, onlyListCalls } from '../lib/checks.js';
import { containerNames } from '../lib/workload.js';
import { limitBar, ratioBar, withMachineLoad } from './bars.js';
import { noopProject } from './apply.js';

const nodeBaseline = (ctx: BenchContext): Contender => ({
  name: 'node -e 0',
  run: async () => {
    const t = await timedRun(process.execPath, ['-e', '0'], { timeoutMs: ctx.timeoutMs });
    return { ms: t.ms, ...(t.cpuMs === undefined ? {} : { cpuMs: t.cpuMs }), ok: t.code === 0 };
  },
});

/**
 * The floor of a validate: node starts, reads every manifest file of `dir` with js-yaml (the
 * reader berth's validate uses) and counts the documents that name a kind, nothing else. It
 * prints that count, so the run is checked to have read all the objects.
 */
const yamlAlone = (ctx: BenchContext, name: string, dir: string, objects: number): Contender => {
  const jsYaml = createRequire(import.meta.url).resolve('js-yaml');
  const script = [
    `const fs = require('node:fs'), path = require('node:path'), yaml = require(${JSON.stringify(jsYaml)});`,
    `const dir = ${JSON.stringify(dir)}; let n = 0;`,
    `for (const f of fs.readdirSync(dir).sort()) if (/\\.ya?ml$/.test(f))`,
    `  yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8'), (d) => { if (d && d.kind) n++; });`,
    'console.log(n);',
  ].join('\n');
  return {
    name,
    run: async () => {
      const t = await timedRun(process.execPath, ['-e', script], { timeoutMs: ctx.timeoutMs });
      return {
        ms: t.ms,
        ...(t.cpuMs === undefined ? {} : { cpuMs: t.cpuMs }),
        ok: t.code === 0,
        stdout: t.stdout,
      };
    },
    verify: async (s) =>
      (s.stdout ?? '').trim() === String(objects)
        ? undefined
        : `it read ${JSON.stringify((s.stdout ?? '').trim())} objects, not ${objects}`,
  };
};

/** `berth status` printed every one of the n containers as running and in sync. */
function reportsRunning(stdout: string, n: number): string | undefined {
  const missing = containerNames(n).filter(
    (name) => !new RegExp(`^Container/${name}\\s+running\\s+running\\s+yes\\b`, 'm').test(stdout),
  );
  return missing.length
    ? `${missing.length} of ${n} containers not shown as running and in sync (${missing[0]}…)`
    : undefined;
}

/** Engine calls of one `berth status` of a project already applied (exit 0 in sync, 3 not). */
export async function statusCalls(ctx: BenchContext, project: string): Promise<number | undefined> {
  const s = await countedSample(ctx, () => berthCli(ctx, ['status', '-p', project]), [0, 3]);
  return s.ok && s.calls ? Object.values(s.calls).reduce((a, b) => a + b, 0) : undefined;
}

/**
 * Status of N containers (the no-op project left running): berth status vs `node -e 0` and
 * one list call; `callsByN` carries the call counts seen at smaller N to show they are constant.
 * Every berth run must make exactly the four list calls (no inspect per container), or it
 * did not do the work the bar names.
 */
export async function statusOf(
  ctx: BenchContext,
  n: number,
  callsByN: Record<number, number | undefined>,
): Promise<ScenarioResult> {
  const project = noopProject(ctx, n);
  const contenders: Contender[] = [
    {
      name: 'berth',
      run: () => countedSample(ctx, () => berthCli(ctx, ['status', '-p', project]), [0, 3]),
      verify: async (s) => noMutations(s) ?? onlyListCalls(s) ?? reportsRunning(s.stdout ?? '', n),
    },
    nodeBaseline(ctx),
    {
      name: 'one list call',
      run: async () => ({
        ms: await timeIt(() =>
          engineCall('GET', `/containers/json?all=1&${labelFilter(`berth.project=${project}`)}`),
        ),
        ok: true,
      }),
    },
  ];
  const { result: tools, load } = await underLoad(() =>
    interleave(contenders, ctx.runs, ctx.warmup, ctx.log),
  );
  const floor = (tools['node -e 0']?.median ?? 0) * 2 + (tools['one list call']?.median ?? 0);
  const counts = Object.values(callsByN).filter((c): c is number => c !== undefined);
  const constant = counts.length > 1 ? new Set(counts).size === 1 : undefined;
  return {
    id: `status-${n}`,
    title: `status of ${n} containers`,
    measure: 'wall time of `berth status -p P`; engine calls',
    unit: 'ms',
    tools,
    bars: [
      {
        text: 'constant engine calls across N',
        met: constant,
        detail: `calls by N: ${JSON.stringify(callsByN)}`,
      },
      limitBar('berth: the four list calls', tools.berth?.calls, 4, 'calls'),
      withMachineLoad(
        limitBar(
          'berth ≤ 2× node -e 0 + one list call',
          tools.berth?.runs ? tools.berth.median : undefined,
          Math.round(floor * 10) / 10,
          'ms',
        ),
        load,
        [tools.berth, tools['node -e 0']],
      ),
    ],
    notes: [],
    load,
  };
}

/** CLI start: `berth --version` and `berth validate` of ~1000 objects vs `node -e 0`. */
export async function cliStart(ctx: BenchContext, objects: number): Promise<ScenarioResult> {
  const v = workloadFor(ctx, 'validate', {
    n: objects - 2,
    init: true,
    envValue: 'a',
    state: 'running',
  });
  const many = workloadFor(ctx, 'validate-many', {
    n: objects - 2,
    init: true,
    envValue: 'a',
    state: 'running',
    manyFields: true,
  });
  const validateOf = (name: string, dir: string): Contender => ({
    name,
    run: () => countedSample(ctx, () => berthCli(ctx, ['validate', '-f', dir])),
    verify: async (s) =>
      (s.stdout ?? '').includes(`valid: ${objects} objects`)
        ? undefined
        : `it printed ${JSON.stringify((s.stdout ?? '').trim().slice(0, 80))}, not "valid: ${objects} objects"`,
  });
  const plainName = `berth validate (${objects} objects)`;
  const manyName = `berth validate (${objects} objects, many fields)`;
  const plainFloor = `js-yaml alone (${objects} objects)`;
  const manyFloor = `js-yaml alone (${objects} objects, many fields)`;
  const composeName = `docker-compose config (${objects - 2} services)`;
  const contenders: Contender[] = [
    nodeBaseline(ctx),
    { name: 'berth --version', run: () => countedSample(ctx, () => berthCli(ctx, ['--version'])) },
    validateOf(plainName, v.berthDir),
    yamlAlone(ctx, plainFloor, v.berthDir, objects),
    validateOf(manyName, many.berthDir),
    yamlAlone(ctx, manyFloor, many.berthDir, objects),
    ...(ctx.compose
      ? [
          {
            name: composeName,
            // Compose's own validate of the same services: `config -q` parses, interpolates
            // and checks the file against its schema, printing nothing when it is valid.
            run: () =>
              countedSample(ctx, () =>
                composeCli(ctx, v.composeFile, v.w.project, ['config', '-q']),
              ),
          },
        ]
      : []),
  ];
  const { result: tools, load } = await underLoad(() =>
    interleave(contenders, ctx.runs, ctx.warmup, ctx.log),
  );
  const validate = tools[plainName];
  const validateMany = tools[manyName];
  return {
    id: 'cli-start',
    title: 'CLI start',
    measure: 'wall time of the process, spawn to exit',
    unit: 'ms',
    tools,
    bars: [
      withMachineLoad(
        ratioBar('berth --version ≤ 2× node -e 0', tools['berth --version'], tools['node -e 0'], 2),
        load,
        [tools['berth --version'], tools['node -e 0']],
      ),
      withMachineLoad(
        ratioBar(
          `validate of ${objects} objects ≤ 2× reading the same files with js-yaml alone`,
          validate,
          tools[plainFloor],
          2,
        ),
        load,
        [validate, tools[plainFloor]],
      ),
      withMachineLoad(
        ratioBar(
          `validate of ${objects} objects using many of the new fields ≤ 2× reading the same files with js-yaml alone`,
          validateMany,
          tools[manyFloor],
          2,
        ),
        load,
        [validateMany, tools[manyFloor]],
      ),
      withMachineLoad(
        ratioBar(
          `validate of ${objects} objects ≤ 0.25× docker-compose config -q of the same services`,
          validate,
          tools[composeName],
          0.25,
        ),
        load,
        [validate, tools[composeName]],
      ),
    ],
    load,
    notes: [
      `${objects} objects: one network, one bind mount, ${objects - 2} containers in one file.`,
      `js-yaml alone: node starts, reads the same files with js-yaml (the reader validate uses) and counts the objects — the floor under any validate; validate adds the schema, normalising, cross-object and policy checks. This replaced an absolute 300 ms limit (session 17): at 1.1 MB of YAML the floor alone is 300–390 ms on this 2-core machine, quiet, so the limit measured the machine, not berth (bench/NOTES.md).`,
      `Many fields (issue 12): the same objects, each container also setting hostname, domainname, dns, dnsSearch, dnsOptions, extraHosts, a port and a port range, expose, capAdd/capDrop, securityOpt, readOnlyRootFilesystem, tty, stopSignal, stopGracePeriod, sysctls, ulimits, shmSize, logging, resources, user, workingDir, a tmpfs mount and a healthcheck; 10 files of 100 documents (one file would pass the 1 MiB a manifest file may be).`,
    ],
  };
}
