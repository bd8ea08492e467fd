import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

// F269: `berth run NAME` converges the one-off's dependencies first, as `docker compose run`
// starts a service's depends_on (and creates its network) unless `--no-deps`. Before, a project
// never applied failed with the engine's `network … not found` (exit 2), and a stopped
// dependency stayed stopped (`nc: bad address 'db'`, exit 1).
const project = uniqueProject('rundeps');
const bare = uniqueProject('rundepsn');
const dir = mkdtempSync(join(tmpdir(), 'berth-rundeps-'));
const stateDir = mkdtempSync(join(tmpdir(), 'berth-rundeps-state-'));
const env = { XDG_STATE_HOME: stateDir };
const run = (args: string[]) => berth(args, { cwd: dir, env });

// db answers `pong` on 5432 and is healthy only a second after it started: app's one-off,
// which waits for `healthy`, would find nothing listening if it did not wait.
const manifests = `apiVersion: berth/v1
kind: Container
metadata: {name: db}
spec:
  image: ${TEST_IMAGE}
  init: true
  command: [sh, -c]
  args: ["sleep 1; touch /tmp/ready; exec nc -ll -p 5432 -e echo pong"]
  healthcheck: {command: [CMD-SHELL, "test -f /tmp/ready"], interval: 1s, retries: 30}
---
apiVersion: berth/v1
kind: Container
metadata: {name: app}
spec:
  image: ${TEST_IMAGE}
  command: [sh, -c]
  args: ["nc -w 2 db 5432 </dev/null"]
  restartPolicy: Never
  dependsOn: [{container: db, condition: healthy}]
`;

beforeAll(() => writeFileSync(join(dir, 'set.yaml'), manifests));

afterAll(async () => {
  await cleanupProject(project);
  await cleanupProject(bare);
  rmSync(dir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

const state = (name: string) =>
  docker('inspect', '-f', '{{.State.Status}} {{.State.Health.Status}}', name).catch(() => 'absent');

describe('berth run and the dependencies of the container it runs from (F269)', () => {
  it('never applied: creates the network, starts db and waits until it is healthy, then runs', async () => {
    const once = await run(['run', '--rm', '-f', '.', '-p', project, 'app']);
    expect(once.code, once.stderr).toBe(0);
    expect(once.stdout).toBe('pong\n');
    expect(await state(`${project}-db`)).toBe('running healthy');
    // The container run from is not created: the one-off stands in for it (compose run).
    expect(await state(`${project}-app`)).toBe('absent');
    const history = JSON.parse((await run(['history', '-p', project, '-o', 'json'])).stdout) as {
      message?: string;
    }[];
    expect(history.map((h) => h.message)).toEqual(['run app: its dependencies']);
  });

  it('starts a dependency stopped behind its back again; with --no-deps leaves it stopped', async () => {
    await docker('stop', `${project}-db`);
    const noDeps = await run(['run', '--rm', '--no-deps', '-p', project, 'app']);
    expect(noDeps.code).not.toBe(0);
    expect(noDeps.stderr).toContain('bad address');
    expect(await state(`${project}-db`)).toMatch(/^exited/);
    const again = await run(['run', '--rm', '-p', project, 'app']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('pong\n');
    expect(await state(`${project}-db`)).toBe('running healthy');
    // Nothing left to do: no history entry for a run whose dependencies are as declared.
    const quiet = await run(['run', '--rm', '-p', project, 'app']);
    expect(quiet.code, quiet.stderr).toBe(0);
    const history = JSON.parse((await run(['history', '-p', project, '-o', 'json'])).stdout) as {
      message?: string;
    }[];
    expect(history).toHaveLength(2);
  });

  it('--no-deps on a project never applied creates the network and no dependency', async () => {
    const once = await run(['run', '--rm', '--no-deps', '-f', '.', '-p', bare, 'app']);
    expect(once.stderr).not.toContain('not found');
    expect(once.stderr).toContain('bad address');
    expect(once.code).toBe(1);
    expect(await docker('network', 'ls', '-q', '--filter', `name=^${bare}-default$`)).not.toBe('');
    expect(await state(`${bare}-db`)).toBe('absent');
  });

  it('down after run deletes what run created', async () => {
    const down = await run(['down', '-p', project]);
    expect(down.code, down.stderr).toBe(0);
    expect(await state(`${project}-db`)).toBe('absent');
  });
});
