import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { sleeperYaml } from '../support/manifests.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * F267: a built image whose tag was removed by hand is rebuilt (its ref is missing), but a
 * rebuild that gives back the very image id the container runs leaves the container alone, as
 * `docker compose up` does; one that gives another id still replaces it.
 */

const work = mkdtempSync(join(tmpdir(), 'berth-rebuild-same-'));
const env = { XDG_STATE_HOME: join(work, 'state') };

describe('a rebuild that gives back the same image', () => {
  const project = uniqueProject('rebsame');
  const ref = `localhost/berth-test-${project}:1`;
  afterAll(async () => {
    await cleanupProject(project);
    await docker('rmi', '-f', ref).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  });

  it('keeps the container when the id is the same, replaces it when it differs', async () => {
    const dir = join(work, 'p');
    mkdirSync(join(dir, 'ctx'), { recursive: true });
    writeFileSync(join(dir, 'ctx', 'Dockerfile'), `FROM ${TEST_IMAGE}\nCOPY message /message\n`);
    writeFileSync(join(dir, 'ctx', 'message'), 'one');
    writeFileSync(
      join(dir, 'app.yaml'),
      `apiVersion: berth/v1
kind: Image
metadata: {name: img}
spec: {ref: "${ref}", build: {context: ./ctx}}
---
${sleeperYaml('web', '  image: img').replace(`  image: ${TEST_IMAGE}\n`, '')}`,
    );
    const args = ['-f', dir, '-p', project];
    expect((await berth(['apply', ...args], { env })).code).toBe(0);
    const containerId = () => docker('inspect', '-f', '{{.Id}}', `${project}-web`);
    const imageOf = () => docker('inspect', '-f', '{{.Image}}', `${project}-web`);
    const before = await containerId();
    const imageBefore = await imageOf();

    // Untagged by hand: the container keeps its image (the id), the ref is gone.
    await docker('rmi', '-f', ref);
    const plan = await berth(['plan', ...args], { env });
    expect(plan.stdout).toMatch(/Image\/img\s+build/);
    expect(plan.stdout).toContain('image img rebuilt: replaced if its id changes');

    const apply = await berth(['apply', ...args], { env });
    expect(apply.code, apply.stderr).toBe(0);
    expect(await docker('image', 'inspect', '-f', '{{.Id}}', ref)).toBe(imageBefore);
    expect(await containerId()).toBe(before);
    expect(apply.stdout).not.toMatch(/\b1 changed/);
    expect((await berth(['plan', ...args, '--exit-code'], { env })).code).toBe(0);

    // Another content: another id, so the container is replaced after all.
    await docker('rmi', '-f', ref);
    writeFileSync(join(dir, 'ctx', 'message'), 'two');
    expect((await berth(['apply', ...args], { env })).code).toBe(0);
    expect(await imageOf()).not.toBe(imageBefore);
    expect(await containerId()).not.toBe(before);
    expect(await docker('exec', `${project}-web`, 'cat', '/message')).toBe('two');
  });
});
