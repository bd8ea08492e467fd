import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

// F668 a, b: kubectl's `describe TYPE NAME` is the syntax; a bare name (`berth describe web`)
// was refused as an unknown kind with a generic hint. With objects of that name in the
// project, the error names the commands meant (here an Image and a Container share the name,
// which is why the kind stays required); a misspelt kind gets the nearest one. Through the
// CLI, against the real engine and the project's record.
const project = uniqueProject('kindhint');
const dir = mkdtempSync(join(tmpdir(), 'berth-kindhint-'));
const stateDir = mkdtempSync(join(tmpdir(), 'berth-kindhint-state-'));
const run = (args: string[]) =>
  berth([...args, '-p', project], { cwd: dir, env: { XDG_STATE_HOME: stateDir } });

beforeAll(async () => {
  writeFileSync(
    join(dir, 'set.yaml'),
    `apiVersion: berth/v1\nkind: Image\nmetadata: {name: web}\nspec: {ref: "${TEST_IMAGE}", pullPolicy: Never}\n---\n` +
      sleeperYaml('web').replace(`image: ${TEST_IMAGE}`, 'image: web'),
  );
  const applied = await run(['apply', '-f', '.']);
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
});

afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

describe('get and describe of a bare name or a misspelt kind (F668)', () => {
  it('describe web names both commands meant, exit 1', async () => {
    const out = await run(['describe', 'web']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      'error: unknown kind "web"; did you mean "berth describe image web" or "berth describe container web"?\n',
    );
    const json = await run(['describe', 'web', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'E_USAGE' } });
  });

  it('get web does the same; a name the project lacks stays an unknown kind', async () => {
    const out = await run(['get', 'web']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      'did you mean "berth get image web" or "berth get container web"?',
    );
    const none = await run(['describe', 'cache']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('error: unknown kind "cache"\n');
  });

  it('get containerz offers the kind', async () => {
    const out = await run(['get', 'containerz']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('error: unknown kind "containerz"; did you mean "container"?\n');
  });
});
