import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runLogSession } from '../../controller/cli/logs-session.js';
import { runCli } from '../../controller/cli/program.js';
import { listByName } from '../../controller/cli/project-containers.js';
import { createDockerEngine } from '../../controller/engine/docker/docker-engine.js';
import { createDockerStreams } from '../../controller/engine/docker/docker-streams.js';
import { resolveEngineAddress } from '../../controller/engine/docker/engine-address.js';
import { TEST_IMAGE, docker } from '../support/docker.js';

/** A writable that keeps what it was given, for in-process CLI runs. */
export function capture(): PassThrough & { text(): string } {
  const stream = new PassThrough() as PassThrough & { text(): string };
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.text = () => Buffer.concat(chunks).toString('utf8');
  return stream;
}

/** Runs berth in-process for project `project`, with its own state folder. */
export async function berth(
  project: string,
  argv: string[],
  stdin: NodeJS.ReadableStream = Readable.from([]),
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const state = mkdtempSync(join(tmpdir(), 'berth-state-'));
  const [verb = '', ...rest] = argv;
  const code = await runCli([verb, '-p', project, ...rest], {
    stdout,
    stderr,
    stdin,
    env: { ...process.env, XDG_STATE_HOME: state, BERTH_LOG_LEVEL: 'silent' },
    cwd: tmpdir(),
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** Starts a container as berth would have created it (its labels and engine name). */
export async function runLabelled(
  project: string,
  name: string,
  script: string,
  extra: string[] = [],
): Promise<string> {
  return docker(
    'run',
    '-d',
    '--name',
    `${project}-${name}`,
    '--label',
    `berth.project=${project}`,
    '--label',
    'berth.kind=Container',
    '--label',
    `berth.name=${name}`,
    ...extra,
    TEST_IMAGE,
    'sh',
    '-c',
    script,
  );
}

/** Keeps PID 1 stoppable at once (a plain sleep would take the full stop timeout). */
export const IDLE = "trap 'exit 0' TERM; sleep 3600 & wait";

/**
 * Follows the logs of declared container `name` (as `berth logs -f` does) until `until`
 * appears or `timeoutMs` passes; returns everything written, stdout and stderr together.
 */
export async function followLogs(
  project: string,
  name: string,
  until: string,
  timeoutMs = 15_000,
): Promise<string> {
  const address = resolveEngineAddress();
  const engine = await createDockerEngine(address);
  const streams = await createDockerStreams(address);
  const received: string[] = [];
  const abort = new AbortController();
  const container = (await listByName(engine, project)).get(name)!;
  const session = runLogSession(
    {
      engine,
      streams,
      project,
      now: Date.now,
      sink: { stdout: (t) => received.push(t), stderr: (t) => received.push(t) },
    },
    new Map([[name, container]]),
    { follow: true, timestamps: false, color: false, selector: [], names: [name] },
    abort.signal,
  );
  const deadline = Date.now() + timeoutMs;
  while (!received.join('').includes(until) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  abort.abort();
  await session;
  return received.join('');
}
