import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { builtAppYaml } from '../support/manifests.js';

// F346: `berth down` exited 2 with the engine's raw 409 when a container berth does not own
// used an image berth built (the F264 situation seen from down), where a network in the same
// position is kept and named with exit 0 (F164). The image is kept, the container named, and
// the image stays in the last applied set: the next down removes it once nothing uses it.
describe('berth down of an image a foreign container uses', () => {
  const project = uniqueProject('dimg');
  const dir = mkdtempSync(join(tmpdir(), 'berth-dimg-'));
  const state = mkdtempSync(join(tmpdir(), 'berth-dimg-state-'));
  const env = { XDG_STATE_HOME: state };
  const ref = `localhost/${project}-app:1`;
  const run = (args: string[]) => berth([...args, '-p', project], { cwd: dir, env });
  const imageExists = () =>
    docker('image', 'inspect', ref).then(
      () => true,
      () => false,
    );
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'Dockerfile'), `FROM ${TEST_IMAGE}\nCOPY v /v\n`);
  writeFileSync(join(dir, 'app', 'v'), 'one\n');
  writeFileSync(join(dir, 'set.yaml'), builtAppYaml(ref));

  afterAll(async () => {
    await docker('rm', '-f', `${project}-app`).catch(() => undefined);
    await cleanupProject(project);
    await docker('rmi', '-f', ref).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  });

  it('keeps the image, names the container, exits 0; the next down removes it', async () => {
    const apply = await run(['apply', '--log-level', 'warn', '--timeout', '90s']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    // Someone runs the built image under the declared container's engine name by hand.
    await docker('rm', '-f', `${project}-app`);
    await docker('run', '-d', '--name', `${project}-app`, ref, 'sleep', '600');

    const down = await run(['down']);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(down.stdout).toContain(
      `Image/app: kept, still used by container ${project}-app (not deleted here)`,
    );
    expect(down.stdout).not.toMatch(/failed|conflict/);
    expect(down.stdout).toMatch(/1 kept/);
    expect(await imageExists()).toBe(true);
    expect((await docker('inspect', '-f', '{{.State.Status}}', `${project}-app`)).trim()).toBe(
      'running',
    );

    await docker('rm', '-f', `${project}-app`);
    const again = await run(['down']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(await imageExists()).toBe(false);
  }, 180_000);
});
