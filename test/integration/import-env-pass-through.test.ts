import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * F129: Compose's `environment: [NAME]` passes NAME through only when it is set; imported and
 * applied, the engine container has no NAME at all when it is unset (not `NAME=`), and its
 * value when it is.
 */

const dir = mkdtempSync(join(tmpdir(), 'berth-env-pass-'));
const project = uniqueProject('envpass');
const state = { XDG_STATE_HOME: join(dir, 'state') };
afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
});

writeFileSync(
  join(dir, 'compose.yaml'),
  `services:\n  web:\n    image: ${TEST_IMAGE}\n    init: true\n    command: [sleep, "3600"]\n    environment: [PASSED, WITHVAL=1]\n`,
);

const configEnv = async () =>
  JSON.parse(await docker('inspect', '-f', '{{json .Config.Env}}', `${project}-web`)) as string[];

describe('an imported pass-through variable on the engine (F129)', () => {
  it('is left out while unset, and set once it is', async () => {
    const imported = await berth(['import', '-o', 'out', '-p', project], { cwd: dir, env: state });
    expect(imported.code, imported.stderr).toBe(0);
    const out = join(dir, 'out');
    const env = { ...state, PASSED: undefined };
    const first = await berth(['apply', '-f', out, '-p', project], { env });
    expect(first.code, first.stderr).toBe(0);
    expect((await configEnv()).filter((e) => e.startsWith('PASSED'))).toEqual([]);
    expect(await configEnv()).toContain('WITHVAL=1');
    const second = await berth(['apply', '-f', out, '-p', project], {
      env: { ...state, PASSED: 'now' },
    });
    expect(second.code, second.stderr).toBe(0);
    expect(await configEnv()).toContain('PASSED=now');
  });
});
