import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { cleanupProject, docker, freePort } from '../support/docker.js';
import { scriptYaml } from '../support/manifests.js';

/** A `berth watch` child process and what it has written so far. */
export interface WatchProcess {
  child: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  exited: Promise<number | null>;
  api: string;
}

const ROOT = new URL('../../', import.meta.url).pathname;
/** The built CLI entry (scripts/build.mjs, run by the test set-up). */
export const BERTH_BIN = new URL('../../bin/berth.mjs', import.meta.url).pathname;

/** Every berth process spawned by this test file that has not exited yet. */
const running = new Set<WatchProcess>();

/**
 * SIGKILLs every berth process of this test file still running, and waits until each has
 * exited. Call it before cleaning up the engine: a process left running (its test threw
 * before its own kill, or timed out) would otherwise create objects after the clean-up.
 */
export async function killStrayBerths(): Promise<void> {
  const stray = [...running];
  for (const w of stray) w.child.kill('SIGKILL');
  await Promise.all(stray.map((w) => w.exited));
}

/**
 * A test file's teardown: stops `watch` (SIGTERM, waiting for it), kills any stray berth of
 * the file, removes the project's engine objects, then the temporary `folders`.
 */
export async function tearDownWatch(
  watch: WatchProcess | undefined,
  project: string,
  ...folders: (string | undefined)[]
): Promise<void> {
  watch?.child.kill('SIGTERM');
  await watch?.exited;
  await killStrayBerths();
  await cleanupProject(project);
  for (const folder of folders) if (folder) await rm(folder, { recursive: true, force: true });
}

/**
 * Runs the built CLI (`bin/berth.mjs`), as a user does. The test set-up
 * (test/support/global-setup.ts) builds dist/ from the source at the start of every run, so
 * it is never stale; it starts in about a second where `--import tsx` of the source took 3–5
 * under a loaded CI (it compiles every module it loads).
 */
export function spawnBerth(args: string[], env: NodeJS.ProcessEnv): WatchProcess {
  const child = spawn(process.execPath, [BERTH_BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, BERTH_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  let stdout = '';
  child.stdout?.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => {
    const ended = (code: number | null) => {
      running.delete(spawned);
      resolve(code);
    };
    child.on('exit', ended);
    // A process that could not be spawned emits 'error' and never 'exit'.
    child.on('error', () => ended(null));
  });
  const listen = args[args.indexOf('--listen') + 1] ?? '127.0.0.1:7337';
  const spawned: WatchProcess = {
    child,
    stderr: () => stderr,
    stdout: () => stdout,
    exited,
    api: `http://${listen}`,
  };
  running.add(spawned);
  return spawned;
}

/**
 * `berth watch --git REPO --path deploy --host-root HOST -p PROJECT` on a free loopback port
 * (plus `extra` flags), with `env` (its XDG_STATE_HOME, a webhook secret or none).
 */
export async function spawnGitWatch(
  repoDir: string,
  project: string,
  hostRoot: string,
  env: NodeJS.ProcessEnv,
  extra: string[] = [],
): Promise<WatchProcess> {
  const listen = `127.0.0.1:${await freePort()}`;
  const args = ['--path', 'deploy', '--host-root', hostRoot, '-p', project, '--listen', listen];
  return spawnBerth(['watch', '--git', repoDir, ...args, ...extra], env);
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns the last answer. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** `State.Status` of an engine container, or 'absent'. */
export async function stateOf(name: string): Promise<string> {
  return docker('inspect', '-f', '{{.State.Status}}', name).catch(() => 'absent');
}

export async function networksOf(name: string): Promise<string[]> {
  const out = await docker(
    'inspect',
    '-f',
    '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}',
    name,
  ).catch(() => '');
  return out.split(' ').filter(Boolean).sort();
}

/** Waits for the API to answer /healthz (the server is up; the controller may still be reading its source). */
export async function waitForApi(w: WatchProcess, timeoutMs = 30_000): Promise<void> {
  const up = await eventually(async () => (await fetch(`${w.api}/healthz`)).ok, timeoutMs, 200);
  if (!up) throw new Error(`berth watch did not come up:\n${w.stderr()}`);
}

/** A container whose PID 1 stops promptly on SIGTERM. */
export function containerYaml(name: string, extra = ''): string {
  return scriptYaml(name, "trap 'exit 0' TERM; sleep 3600 & wait", extra);
}

/** POSTs a web-view action (`--ui-actions`) as the page does, with the CSRF token `/` serves; the answer's text. */
export async function postAction(api: string, id: string): Promise<string> {
  const page = await (await fetch(`${api}/`)).text();
  const csrf = /name="berth-csrf" content="([^"]+)"/.exec(page)![1]!;
  const answer = await fetch(`${api}/api/v1/actions/${id}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Berth-CSRF': csrf },
    body: '{}',
  });
  return answer.text();
}
