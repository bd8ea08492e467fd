import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * F195: values the engine refuses (an image reference, a relative working directory) are
 * refused by apply before any change: exit 1, file:line:col, and the project's default
 * network is not made (it was, before the engine refused the image).
 */

const project = uniqueProject('badval');
const dir = mkdtempSync(join(tmpdir(), 'berth-badval-'));

afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
});

describe('values only the engine used to refuse', () => {
  it.each([
    [
      'image: MyImage:1',
      /spec\.image "MyImage:1" is not an image reference: the repository name must be lower-case \[E_IMAGE_REF\]/,
    ],
    [
      'image: localhost/berth-busybox:1\n  workingDir: app',
      /spec\.workingDir "app" must be an absolute path/,
    ],
  ])('%s: apply exits 1 and creates nothing', async (field, message) => {
    writeFileSync(
      join(dir, 'app.yaml'),
      `apiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\nspec:\n  ${field}\n`,
    );
    const r = await berth(['apply', '-f', dir, '-p', project]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/app\.yaml:\d+:\d+: Container "web": /);
    expect(r.stderr).toMatch(message);
    const made = await docker('network', 'ls', '-q', '--filter', `label=berth.project=${project}`);
    expect(made).toBe('');
  });
});
