import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import {
  cleanupProject,
  docker,
  freePort,
  projectContainerNames,
  projectContainerStates,
  TEST_IMAGE,
  uniqueProject,
} from '../support/docker.js';
import { killStrayBerths, spawnBerth } from './watch-support.js';

/**
 * F38: a start-first update cut short by SIGKILL leaves `<project>-<name>-next` beside the
 * container under its name. The container under the name may match the declaration, but the
 * project is not in sync until exactly one container answers to each declared name (DESIGN.md
 * "Updates and rollback"): `status` must say so and `plan` must show the removal. A restarted
 * controller must not say in sync before it has converged either — not even to a client that
 * polls from the moment its API answers, while it is still reading its folder.
 * The leftover is made by hand: a container of the declared spec under the `-next` name,
 * with berth's labels (copied from the container it sits beside), started.
 */

const project = uniqueProject('leftover');
const work = mkdtempSync(join(tmpdir(), 'berth-leftover-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
const dir = join(work, project);
const name = (n: string) => `${project}-${n}`;

/** Containers a and b; b's env says `version`. */
function manifests(version: number): string {
  return ['a', 'b']
    .map(
      (n) => `apiVersion: berth/v1
kind: Container
metadata: {name: ${n}}
spec:
  image: ${TEST_IMAGE}
  init: true
  env: {V: "${n === 'b' ? version : 1}"}
  command: [sleep, "3600"]`,
    )
    .join('\n---\n');
}

/** Starts `<engine name>-next` beside the container, with the labels berth gave that one. */
async function startLeftover(engineName: string): Promise<string> {
  const labels = JSON.parse(
    await docker('inspect', '-f', '{{json .Config.Labels}}', engineName),
  ) as Record<string, string>;
  const flags = Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  const id = await docker(
    ...['create', '--name', `${engineName}-next`, '--init', ...flags, TEST_IMAGE, 'sleep', '3600'],
  );
  await docker('start', id);
  return id;
}

const running = () => projectContainerStates(project);

afterAll(async () => {
  await killStrayBerths();
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

/**
 * Polls the status API with `clients` requests always in flight, from before the API is up,
 * until one answers in sync; resolves with what the engine holds right after that answer.
 */
async function firstInSync(api: string, clients: number, timeoutMs: number): Promise<string[]> {
  const end = Date.now() + timeoutMs;
  let seen: Promise<string[]> | undefined;
  const poll = async () => {
    while (!seen && Date.now() < end) {
      const answer = await fetch(`${api}/api/v1/status`)
        .then((r) => r.json() as Promise<{ inSync?: boolean }>)
        .catch(() => undefined);
      if (answer?.inSync === true && !seen) seen = engineState();
      if (!answer) await new Promise((r) => setTimeout(r, 20));
    }
  };
  await Promise.all(Array.from({ length: clients }, poll));
  return seen ?? ['never in sync'];
}

/** Every container of the project with its state, and b's version. */
async function engineState(): Promise<string[]> {
  const names = await running();
  const env = await docker('inspect', '-f', '{{json .Config.Env}}', name('b')).catch(() => '');
  return [...names, `b V=${/V=(\d+)/.exec(env)?.[1] ?? '?'}`];
}

describe('a -next leftover of an update cut short (real engine)', () => {
  it('status and plan say it; a restarted watch says in sync only once one container answers to each name', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'app.yaml'), manifests(1));
    const applied = await berth(['apply', '-f', dir, '-p', project], { env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const kept = await docker('inspect', '-f', '{{.Id}}', name('a'));
    await startLeftover(name('a'));

    // Against the applied set: a matches its declaration, the leftover beside it does not.
    const status = await berth(['status', '-p', project, '-o', 'json'], { env });
    expect(status.code, status.stdout + status.stderr).toBe(3);
    const { objects } = JSON.parse(status.stdout) as {
      objects: { key: string; inSync: boolean; reason: string | null }[];
    };
    expect(objects.find((o) => o.key === 'Container/a')).toMatchObject({
      inSync: false,
      reason: expect.stringMatching(/^unfinished start-first update/),
    });
    expect(objects.find((o) => o.key === 'Container/b')?.inSync).toBe(true);
    const plan = await berth(['plan', '-f', dir, '-p', project], { env });
    expect(plan.stdout).toContain(`remove ${name('a')}-next`);

    // The folder changes b: the controller has an update to make (a 3 s gate) when it starts.
    writeFileSync(join(dir, 'app.yaml'), manifests(2));
    const port = await freePort();
    const watch = spawnBerth(['watch', dir, '-p', project, '--listen', `127.0.0.1:${port}`], env);
    try {
      const seen = await firstInSync(watch.api, 6, 60_000);
      expect(seen, watch.stderr()).toEqual([
        `${name('a')} running`,
        `${name('b')} running`,
        'b V=2',
      ]);
      // The leftover went; the container that served under the name was never touched.
      expect(await docker('inspect', '-f', '{{.Id}}', name('a'))).toBe(kept);
      expect(await projectContainerNames(project)).toEqual([name('a'), name('b')]);
    } finally {
      watch.child.kill('SIGTERM');
      await watch.exited;
    }
  });
});
