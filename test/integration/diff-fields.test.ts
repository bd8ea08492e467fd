import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

// F546/F565: `berth diff` names the fields users change most as they wrote them, on the real
// engine: a scale (replicas are planned one instance at a time, none of them changed), a
// file mode (octal, as declared and as describe shows it, not 1023) and a build arg (its own
// field; the content hash covers the context's files, and none changed).
const project = uniqueProject('difff');
const dir = mkdtempSync(join(tmpdir(), 'berth-diff-fields-'));
const stateDir = mkdtempSync(join(tmpdir(), 'berth-diff-fields-state-'));
const run = (args: string[]) =>
  berth([...args, '-f', '.', '-p', project], { cwd: dir, env: { XDG_STATE_HOME: stateDir } });

const worker = (replicas: number, mode: string) =>
  writeFileSync(
    join(dir, 'worker.yaml'),
    sleeperYaml(
      'worker',
      `  replicas: ${replicas}\n  mounts: [{tmpfs: /scratch, mode: "${mode}"}]\n  update: {minReady: 0s}\n`,
    ),
  );

afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

describe('berth diff of a scale and a file mode (F546)', () => {
  it('scaling up prints spec.replicas old → new under the declared container', async () => {
    worker(2, '0755');
    const applied = await run(['apply']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    worker(3, '0755');
    const diff = await run(['diff']);
    expect(diff.code, diff.stderr).toBe(2);
    expect(diff.stdout).toContain('+ Container/worker-3');
    expect(diff.stdout).toContain(
      'Changed fields (last apply → now):\nContainer/worker:\n  spec.replicas: 2 → 3\n',
    );
    expect(diff.stdout).not.toContain('Container/worker-1:');
  });

  it('scaling down and a tmpfs mode: replicas 3 → 1, the mode in octal', async () => {
    const applied = await run(['apply']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    worker(1, '1777');
    const diff = await run(['diff']);
    expect(diff.code, diff.stderr).toBe(2);
    expect(diff.stdout).toContain(
      'Container/worker:\n  spec.mounts[0].mode: "0755" → "1777"\n  spec.replicas: 3 → 1\n',
    );
    expect(diff.stdout).not.toContain('1023');
  });

  it('a build arg changed alone is its own field, not a content change; apply rebuilds', async () => {
    const ref = `localhost/${project}-img:1`;
    mkdirSync(join(dir, 'ctx'));
    writeFileSync(
      join(dir, 'ctx', 'Dockerfile'),
      `FROM ${TEST_IMAGE}\nARG V\nRUN echo "$V" > /v\n`,
    );
    const image = (v: string) =>
      writeFileSync(
        join(dir, 'img.yaml'),
        `apiVersion: berth/v1\nkind: Image\nmetadata: {name: img}\nspec: {ref: "${ref}", build: {context: ./ctx, args: {V: "${v}"}}}\n`,
      );
    image('1');
    const applied = await run(['apply']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    image('2');
    const diff = await run(['diff']);
    expect(diff.code, diff.stderr).toBe(2);
    expect(diff.stdout).toMatch(/~ Image\/img +build/);
    expect(diff.stdout).toContain('Image/img:\n  spec.build.args.V: "1" → "2"\n');
    expect(diff.stdout).not.toContain('contentHash');
    // The args still decide the rebuild, with the content (build-key.ts).
    const rebuilt = await run(['apply']);
    expect(rebuilt.code, rebuilt.stdout + rebuilt.stderr).toBe(0);
    expect((await docker('run', '--rm', ref, 'cat', '/v')).trim()).toBe('2');
    expect((await run(['diff'])).code).toBe(0);
  });

  it('a target changed alone rebuilds the image from that stage (F630)', async () => {
    const ref = `localhost/${project}-staged:1`;
    mkdirSync(join(dir, 'staged'));
    writeFileSync(
      join(dir, 'staged', 'Dockerfile'),
      `FROM ${TEST_IMAGE} AS one\nRUN echo one > /stage\nFROM ${TEST_IMAGE} AS two\nRUN echo two > /stage\n`,
    );
    const image = (target: string) =>
      writeFileSync(
        join(dir, 'staged.yaml'),
        `apiVersion: berth/v1\nkind: Image\nmetadata: {name: staged}\nspec: {ref: "${ref}", build: {context: ./staged, target: ${target}}}\n`,
      );
    image('one');
    expect((await run(['apply'])).code).toBe(0);
    expect((await docker('run', '--rm', ref, 'cat', '/stage')).trim()).toBe('one');
    image('two');
    const diff = await run(['diff']);
    expect(diff.stdout).toMatch(/~ Image\/staged +build/);
    expect(diff.stdout).toContain('Image/staged:\n  spec.build.target: "one" → "two"\n');
    expect((await run(['apply'])).code).toBe(0);
    expect((await docker('run', '--rm', ref, 'cat', '/stage')).trim()).toBe('two');
  });
});
