import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * `runtime` (Compose `runtime: nvidia`) names the engine's OCI runtime: the container is
 * created and runs under it (HostConfig.Runtime); a second apply plans nothing, another
 * runtime recreates. `runc` is the runtime every Docker engine has.
 */
const project = uniqueProject('runtime');
const dir = mkdtempSync(join(tmpdir(), 'berth-runtime-'));

afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
});

const manifest = (runtime: string) => `apiVersion: berth/v1
kind: Container
metadata: {name: app}
spec:
  image: ${TEST_IMAGE}
  command: [sleep, "3600"]
  init: true
  ${runtime}
`;

describe('runtime', () => {
  it('runs the container under the named runtime; a second apply plans nothing', async () => {
    writeFileSync(join(dir, 'berth.yaml'), manifest('runtime: runc'));
    const applied = await berth(['apply', '-f', 'berth.yaml', '-p', project], { cwd: dir });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(
      await docker('inspect', '-f', '{{.HostConfig.Runtime}} {{.State.Status}}', `${project}-app`),
    ).toBe('runc running');
    const plan = await berth(['plan', '--exit-code', '-f', 'berth.yaml', '-p', project], {
      cwd: dir,
    });
    expect(plan.code, plan.stdout).toBe(0);
  });

  it('an unknown runtime is the engine refusing the create, named by apply (exit 2)', async () => {
    writeFileSync(join(dir, 'berth.yaml'), manifest('runtime: berth-no-such-runtime'));
    const applied = await berth(['apply', '-f', 'berth.yaml', '-p', project], { cwd: dir });
    expect(applied.code).toBe(2);
    expect(applied.stdout + applied.stderr).toMatch(/berth-no-such-runtime/);
  });
});
