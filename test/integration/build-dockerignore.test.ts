import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * Issue 19 item 5: a `.dockerignore` that lists the Dockerfile (and itself) keeps them out
 * of the image, but the docker CLI always sends both to the builder; berth failed with
 * "Cannot locate specified Dockerfile". The rest of the ignore file still holds.
 */

const state = mkdtempSync(join(tmpdir(), 'berth-state-'));
const env = { XDG_STATE_HOME: state };
const project = uniqueProject('ign');
afterAll(async () => {
  await cleanupProject(project);
  rmSync(state, { recursive: true, force: true });
});

function context(dockerfile: string, ignore: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-ign-'));
  const ctx = join(dir, 'ctx');
  mkdirSync(join(ctx, 'docker'), { recursive: true });
  writeFileSync(
    join(ctx, dockerfile),
    `FROM ${TEST_IMAGE}\nCOPY . /app/\nRUN find /app > /listing\n`,
  );
  writeFileSync(join(ctx, '.dockerignore'), ignore);
  writeFileSync(join(ctx, 'kept.txt'), 'kept\n');
  writeFileSync(join(ctx, 'secret.txt'), 'secret\n');
  return dir;
}

const listing = (ref: string) => docker('run', '--rm', ref, 'cat', '/listing');

describe('a .dockerignore that lists the Dockerfile', () => {
  it.each([
    ['Dockerfile', 'Dockerfile\n.dockerignore\nsecret.txt\n', ''],
    [
      'docker/Dockerfile.prod',
      'docker\n.dockerignore\nsecret.txt\n',
      ', dockerfile: docker/Dockerfile.prod',
    ],
    ['Dockerfile', '*\n!kept.txt\n', ''],
  ])('builds from %s with ignore %j, leaving the ignored files out', async (_, ignore, extra) => {
    const dir = context(_, ignore);
    const ref = `localhost/${project}-${Math.random().toString(36).slice(2, 8)}:1`;
    writeFileSync(
      join(dir, 'img.yaml'),
      `apiVersion: berth/v1\nkind: Image\nmetadata: {name: img}\nspec: {ref: "${ref}", build: {context: ./ctx${extra}}}\n`,
    );
    const result = await berth(['apply', '-f', dir, '-p', project], { env });
    expect(result.stdout + result.stderr).not.toMatch(/Cannot locate/);
    expect(result.code).toBe(0);
    const files = (await listing(ref)).split('\n');
    expect(files).toContain('/app/kept.txt');
    // The builder leaves the Dockerfile and .dockerignore out when they are listed, as docker does.
    for (const left of ['secret.txt', '.dockerignore', 'Dockerfile', 'docker/Dockerfile.prod']) {
      expect(files).not.toContain(`/app/${left}`);
    }
  });
});
