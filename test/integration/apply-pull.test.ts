import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { pushWithCli, startRegistry, type Registry } from '../support/registry.js';

/** Image pulls through apply, against a real registry on loopback. */

const work = mkdtempSync(join(tmpdir(), 'berth-pull-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
const project = uniqueProject('pull');
let registry: Registry;
let ref: string;

/** Builds a distinct image and pushes it under `ref` (the tag moves), then forgets it locally. */
async function pushVersion(version: string): Promise<void> {
  const ctx = mkdtempSync(join(work, 'ctx-'));
  writeFileSync(join(ctx, 'Dockerfile'), `FROM ${TEST_IMAGE}\nRUN echo ${version} > /version\n`);
  await docker('build', '-q', '-t', ref, ctx);
  await pushWithCli(ref);
}

function manifest(pullPolicy: string): string {
  const dir = mkdtempSync(join(work, 'm-'));
  writeFileSync(
    join(dir, 'app.yaml'),
    `apiVersion: berth/v1
kind: Image
metadata: {name: app}
spec: {ref: "${ref}", pullPolicy: ${pullPolicy}}
---
apiVersion: berth/v1
kind: Container
metadata: {name: app}
spec:
  image: app
  init: true
  command: [sleep, "3600"]
`,
  );
  return dir;
}

const containerId = () => docker('inspect', '-f', '{{.Id}}', `${project}-app`);
const version = () => docker('exec', `${project}-app`, 'cat', '/version');

beforeAll(async () => {
  registry = await startRegistry(join(work, 'registry'));
  ref = `${registry.host}/berth/app:1`;
  await pushVersion('v1');
  await docker('rmi', ref);
});

afterAll(async () => {
  await cleanupProject(project);
  // Every version pushed (the moved tag leaves the old one untagged under the same repo).
  const ids = await docker('images', '-q', `${registry.host}/berth/app`).catch(() => '');
  const unique = [...new Set(ids.split('\n').filter(Boolean))];
  if (unique.length) await docker('rmi', '-f', ...unique).catch(() => undefined);
  registry.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('apply pulls images', () => {
  it('IfNotPresent pulls a missing image once', async () => {
    const dir = manifest('IfNotPresent');
    const plan = await berth(['plan', '-f', dir, '-p', project], { env });
    expect(plan.stdout).toMatch(/\+ Image\/app\s+pull\s+not present/);
    expect((await berth(['apply', '-f', dir, '-p', project], { env })).code).toBe(0);
    expect(await version()).toBe('v1');
    expect((await berth(['plan', '-f', dir, '-p', project, '--exit-code'], { env })).code).toBe(0);
  });

  it('Always re-resolves the tag: nothing is recreated while it stays, the container is when it moves', async () => {
    const dir = manifest('Always');
    const before = await containerId();
    expect((await berth(['apply', '-f', dir, '-p', project], { env })).code).toBe(0);
    expect(await containerId()).toBe(before);

    await pushVersion('v2');
    await docker('tag', TEST_IMAGE, ref); // the local tag points elsewhere again: only a pull can fix it
    const moved = await berth(['apply', '-f', dir, '-p', project], { env });
    expect(moved.code).toBe(0);
    expect(await containerId()).not.toBe(before);
    expect(await version()).toBe('v2');
  });
});
