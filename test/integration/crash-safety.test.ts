import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanupProject, docker, freePort, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { eventually, killStrayBerths, spawnBerth, waitForApi } from './watch-support.js';

/**
 * `kill -9` of berth in the middle of a large change, at random points, then a restart:
 * it converges with no duplicate and no orphan object (engine names are deterministic; a
 * name conflict with an object that carries our labels is ours to take over).
 * Every berth runs as a child process, so that whatever path a test ends by (an assertion,
 * a throw, its timeout) the clean-up first kills what still runs, then removes each test's
 * own project: nothing can create an object after the clean-up.
 */

const COUNT = 10;
const work = mkdtempSync(join(tmpdir(), 'berth-crash-'));
const env = { XDG_STATE_HOME: join(work, 'state') };

function writeManifests(dir: string, version: number): void {
  const docs = ['apiVersion: berth/v1\nkind: Network\nmetadata: {name: net}'];
  for (let i = 0; i < COUNT; i++) {
    docs.push(`apiVersion: berth/v1
kind: Container
metadata: {name: c${i}}
spec:
  image: ${TEST_IMAGE}
  init: true
  env: {VERSION: "${version}"}
  networks: [net]
  command: [sleep, "3600"]`);
  }
  writeFileSync(join(dir, 'app.yaml'), docs.join('\n---\n'));
}

/**
 * Exactly the declared containers and one network, every container at `version` and running;
 * `context` (the controller's log) is printed with a failure.
 */
async function assertConverged(project: string, version: number, context = ''): Promise<void> {
  const rows = await docker(
    'ps',
    '-a',
    '--filter',
    // Docker matches the name with its leading `/`, Podman without it.
    `name=^/?${project}-`,
    '--format',
    '{{.Names}} {{.State}} {{.Label "berth.project"}}',
  );
  const lines = rows.split('\n').filter(Boolean).sort();
  expect(lines, context).toEqual(
    Array.from({ length: COUNT }, (_, i) => `${project}-c${i} running ${project}`).sort(),
  );
  for (let i = 0; i < COUNT; i++) {
    const envs = await docker('inspect', '-f', '{{json .Config.Env}}', `${project}-c${i}`);
    expect(envs, context).toContain(`VERSION=${version}`);
  }
  const networks = await docker(
    'network',
    'ls',
    '--filter',
    `name=^${project}-`,
    '--format',
    '{{.Name}}',
  );
  expect(networks.split('\n').filter(Boolean)).toEqual([`${project}-net`]);
}

// The built CLI needs about 0.3 s to start (plan of examples/hello: 0.35 s CPU, the source
// under tsx 1.4 s); kills land across the whole change.
const randomDelay = () => 300 + Math.floor(Math.random() * 2300);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('crash safety', () => {
  const projects: string[] = [];
  const newProject = () => {
    projects.push(uniqueProject('crash'));
    return projects[projects.length - 1] as string;
  };
  afterEach(async () => {
    await killStrayBerths();
    for (const project of projects.splice(0)) await cleanupProject(project);
  });

  it('apply killed with SIGKILL at random points, then applied again, converges with nothing duplicated or orphaned', async () => {
    const project = newProject();
    const dir = mkdtempSync(join(work, 'apply-'));
    for (let version = 1; version <= 3; version++) {
      writeManifests(dir, version);
      const run = spawnBerth(['apply', '-f', dir, '-p', project], env);
      await new Promise((r) => setTimeout(r, randomDelay()));
      run.child.kill('SIGKILL');
      await run.exited;
    }
    const final = spawnBerth(['apply', '-f', dir, '-p', project], env);
    expect(await final.exited, final.stdout() + final.stderr()).toBe(0);
    await assertConverged(project, 3);
  });

  it('watch killed with SIGKILL mid-change, then restarted, converges', async () => {
    const project = newProject();
    const dir = mkdtempSync(join(work, 'watch-'));
    writeManifests(dir, 10);
    const port = await freePort();
    const args = ['watch', dir, '-p', project, '--listen', `127.0.0.1:${port}`];
    for (let version = 11; version <= 12; version++) {
      const w = spawnBerth(args, env);
      await waitForApi(w);
      writeManifests(dir, version);
      await new Promise((r) => setTimeout(r, randomDelay()));
      w.child.kill('SIGKILL');
      await w.exited;
    }
    const last = spawnBerth(args, env);
    try {
      await waitForApi(last);
      const inSync = await eventually(
        async () => {
          const status = (await (await fetch(`${last.api}/api/v1/status`)).json()) as {
            inSync?: boolean;
          };
          return status.inSync === true;
        },
        60_000,
        250,
      );
      expect(inSync, last.stderr()).toBe(true);
      await assertConverged(project, 12, last.stderr());
    } finally {
      last.child.kill('SIGTERM');
      await last.exited;
    }
  });
});
