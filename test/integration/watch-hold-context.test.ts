import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, envValue, TEST_IMAGE } from '../support/docker.js';
import { eventually, postAction } from './watch-support.js';
import { watchFixture, type WatchFixture } from './watch-fixture.js';

/**
 * F801: a rollback's hold ends with the next source revision. A saved file the manifests name
 * (here the build context's) is one: the image is rebuilt from it and the folder's set applied,
 * and the watch log names the file as the cause, not "manifests changed".
 */
let f: WatchFixture;
const manifest = (mode: string, ref: string) => `apiVersion: berth/v1
kind: Image
metadata: {name: app}
spec:
  ref: ${ref}
  build: {context: ./ctx}
---
apiVersion: berth/v1
kind: Container
metadata: {name: app}
spec:
  image: ${ref}
  command: [sleep, "3600"]
  env: {MODE: ${mode}}
`;
let ref: string;
const modeOf = () => envValue(`${f.project}-app`, 'MODE').catch(() => undefined);
const baked = () =>
  docker('exec', `${f.project}-app`, 'cat', '/baked').catch(() => undefined as string | undefined);
const notice = async () =>
  ((await (await fetch(`${f.watch!.api}/api/v1/status`)).json()) as { notice: string | null })
    .notice;

beforeAll(async () => {
  f = await watchFixture('holdctx');
  ref = `localhost/${f.project}-app:1`;
  await mkdir(join(f.dir, 'ctx'));
  await writeFile(join(f.dir, 'ctx', 'Dockerfile'), `FROM ${TEST_IMAGE}\nCOPY baked /baked\n`);
  await writeFile(join(f.dir, 'ctx', 'baked'), 'first\n');
  await f.write('app.yaml', manifest('one', ref));
  await f.startWatch(['--resync', '1s', '--ui-actions']);
  if (!(await eventually(async () => (await modeOf()) === 'one', 90_000)))
    throw new Error(f.watch!.stderr());
}, 150_000);

afterAll(async () => {
  await f.tearDown();
  await docker('rmi', '-f', ref).catch(() => undefined);
});

describe('a rollback hold under watch and the build context', () => {
  it('a saved build-context file ends the hold: rebuilt, the folder applied, the file named as the cause', async () => {
    await f.write('app.yaml', manifest('two', ref));
    expect(await eventually(async () => (await modeOf()) === 'two', 60_000)).toBe(true);
    // Taken once the apply of "two" is recorded as converged (the watch records it settled).
    const rolledBack = await eventually(
      async () => /rolling back to apply/.test(await postAction(f.watch!.api, 'rollback')),
      60_000,
    );
    expect(rolledBack, (await f.run(['history'])).stdout).toBe(true);
    expect(await eventually(async () => (await modeOf()) === 'one', 60_000)).toBe(true);
    expect(await notice()).toMatch(/^Held since .*\(rollback to \w+\)/);

    await writeFile(join(f.dir, 'ctx', 'baked'), 'second\n');
    const rebuilt = await eventually(
      async () => (await baked())?.trim() === 'second' && (await modeOf()) === 'two',
      90_000,
    );
    expect(rebuilt, f.watch!.stderr()).toBe(true);
    expect(await notice()).toBeNull();
    expect(f.watch!.stderr()).toMatch(/a new source revision ends the hold/);
    expect(f.watch!.stderr()).toMatch(/"cause":"baked changed"/);
  });
});
