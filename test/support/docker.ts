import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testEngine } from './engine.js';

const execFileAsync = promisify(execFile);

/** The local base image built by scripts/build-test-image.sh. */
export const TEST_IMAGE = process.env.BERTH_TEST_IMAGE ?? 'localhost/berth-busybox:1';

/**
 * Networks `cleanupProject` could not remove yet, one id per line; the test run's global
 * teardown (test/support/global-setup.ts) removes them once the engine lets go. A run on
 * Podman keeps its own list: another run's Docker networks are not its business.
 */
export const LEFTOVER_NETWORKS = join(
  tmpdir(),
  testEngine() === 'podman'
    ? 'berth-test-leftover-networks-podman'
    : 'berth-test-leftover-networks',
);

/** A project name no other test uses, so parallel test files never see each other's objects. */
export function uniqueProject(prefix = 't'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * The value of environment variable `name` (word characters) in container `engineName`, as
 * the engine has it; undefined when it is not set. Rejects when there is no such container.
 */
export async function envValue(engineName: string, name: string): Promise<string | undefined> {
  const env = await docker('inspect', '-f', '{{json .Config.Env}}', engineName);
  return new RegExp(`${name}=(\\w+)`).exec(env)?.[1];
}

/** Names of the project's containers on the engine (any state), sorted. */
export async function projectContainerNames(project: string): Promise<string[]> {
  const out = await docker(
    ...['ps', '-a', '--filter', `label=berth.project=${project}`, '--format', '{{.Names}}'],
  );
  return out.split('\n').filter(Boolean).sort();
}

/** `<name> <state>` of each of the project's containers on the engine, sorted. */
export async function projectContainerStates(project: string): Promise<string[]> {
  const filter = `label=berth.project=${project}`;
  const out = await docker('ps', '-a', '--filter', filter, '--format', '{{.Names}} {{.State}}');
  return out.split('\n').filter(Boolean).sort();
}

/** Runs the docker CLI; resolves with trimmed stdout, rejects with stderr in the message. */
export async function docker(...args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync('docker', args, { maxBuffer: 16 * 1024 * 1024 });
    return stdout.trim();
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`docker ${args.join(' ')}: ${err.stderr?.trim() || err.message}`);
  }
}

/**
 * Removes every engine object labelled with this project (containers, networks, volumes,
 * images). Tests call it in afterAll/afterEach so the engine is left as it was found; kill
 * every berth process of the test first, or it may create objects after this ran.
 * A network the engine refuses to remove is named on stderr (it is left on the engine).
 */
/**
 * Waits until the engine shows container `name` `restarting` with at least `restarts` restarts
 * (its restart back-off doubles from 100 ms: 4 → 1.6 s, 5 → 3.2 s, from then on it is
 * `restarting` nearly all the time); throws after `timeoutMs`.
 */
export async function crashLooping(
  name: string,
  restarts: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [state, count] = (
      await docker('inspect', '-f', '{{.State.Status}} {{.RestartCount}}', name)
    )
      .trim()
      .split(' ');
    if (state === 'restarting' && Number(count) >= restarts) return;
    if (Date.now() > deadline) throw new Error(`${name} never crash-looped: ${state} ${count}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function cleanupProject(project: string): Promise<void> {
  const filter = `label=berth.project=${project}`;
  const ids = (cmd: string[]) =>
    docker(...cmd).then(
      (out) => out.split('\n').filter(Boolean),
      () => [] as string[],
    );
  // A create the engine was still running when the list was read shows up in the next one.
  for (let round = 0; round < 5; round++) {
    const containers = await ids(['ps', '-aq', '--filter', filter]);
    if (containers.length === 0) break;
    await docker('rm', '-f', '-v', ...containers).catch(() => undefined);
  }
  for (const n of await ids(['network', 'ls', '-q', '--filter', filter])) {
    const refused = await removeNetwork(n);
    if (refused) {
      // The engine can report a stale endpoint for longer than the retries (seen in CI under
      // load, empty .Containers): the run's teardown tries again minutes later.
      appendFileSync(LEFTOVER_NETWORKS, `${n}\n`);
      process.stderr.write(
        `cleanupProject(${project}): network ${n} is left for now: ${refused}\n`,
      );
    }
  }
  const volumes = await ids(['volume', 'ls', '-q', '--filter', filter]);
  if (volumes.length) await docker('volume', 'rm', '-f', ...volumes).catch(() => undefined);
  const images = await ids(['images', '-q', '--filter', filter]);
  if (images.length) await docker('rmi', '-f', ...new Set(images)).catch(() => undefined);
}

/**
 * Removes a network whose containers were just removed; undefined when it is gone, else the
 * engine's last answer. Right after its containers go, a network can still report active
 * endpoints for a while (moby#42119): retry with back-off (about 25 s in all), and drop by
 * force the endpoints it still lists (their containers are gone).
 */
async function removeNetwork(id: string): Promise<string | undefined> {
  let answer = '';
  for (let attempt = 0; attempt < 12; attempt++) {
    const error = await docker('network', 'rm', id).then(
      () => undefined,
      (e: Error) => e.message,
    );
    if (error === undefined || /No such network|not found/i.test(error)) return undefined;
    answer = error;
    const endpoints = await docker(
      'network',
      'inspect',
      '-f',
      '{{range .Containers}}{{.Name}} {{end}}',
      id,
    )
      .then((out) => out.split(' ').filter(Boolean))
      .catch(() => [] as string[]);
    for (const endpoint of endpoints) {
      // Only endpoints whose container is gone: a live one may be another test's.
      if (
        await docker('container', 'inspect', endpoint).then(
          () => true,
          () => false,
        )
      )
        continue;
      await docker('network', 'disconnect', '-f', id, endpoint).catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 300 * (attempt + 1)));
  }
  return answer;
}

/** Synchronous variant for process exit handlers. */
export function engineAvailable(): boolean {
  try {
    execFileSync('docker', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
