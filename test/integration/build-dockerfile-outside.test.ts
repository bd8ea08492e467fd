import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * A Dockerfile outside the build context (Compose's `context: ./app`, `dockerfile:
 * ../docker/app.Dockerfile`, as monorepos write it) failed with "failed to read dockerfile":
 * the engine reads it from the uploaded context only. berth sends it inside the context under
 * a name of its own, as the docker CLI does; a change of it rebuilds.
 */

const state = mkdtempSync(join(tmpdir(), 'berth-state-'));
const env = { XDG_STATE_HOME: state };
const project = uniqueProject('dfo');
const dir = mkdtempSync(join(tmpdir(), 'berth-dfo-'));
afterAll(async () => {
  await cleanupProject(project);
  rmSync(state, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('a Dockerfile outside the build context', () => {
  it('builds, and builds again when that Dockerfile changes', async () => {
    mkdirSync(join(dir, 'app'));
    mkdirSync(join(dir, 'docker'));
    writeFileSync(join(dir, 'app', 'hello.txt'), 'hello from the context\n');
    const dockerfile = (line: string) =>
      writeFileSync(
        join(dir, 'docker', 'app.Dockerfile'),
        `FROM ${TEST_IMAGE}\nCOPY hello.txt /hello.txt\nRUN echo ${line} > /step\n`,
      );
    dockerfile('first');
    const ref = `localhost/${project}-img:1`;
    writeFileSync(
      join(dir, 'img.yaml'),
      `apiVersion: berth/v1\nkind: Image\nmetadata: {name: img}\nspec: {ref: "${ref}", build: {context: ./app, dockerfile: ../docker/app.Dockerfile}}\n`,
    );
    const first = await berth(['apply', '-f', dir, '-p', project], { env });
    expect(first.stdout + first.stderr).not.toMatch(/failed to read dockerfile/);
    expect(first.code).toBe(0);
    expect(await docker('run', '--rm', ref, 'cat', '/hello.txt', '/step')).toBe(
      'hello from the context\nfirst',
    );

    dockerfile('second');
    const second = await berth(['apply', '-f', dir, '-p', project], { env });
    expect(second.code).toBe(0);
    expect(await docker('run', '--rm', ref, 'cat', '/step')).toBe('second');
  });
});
