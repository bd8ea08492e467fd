import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth, berthProcess } from '../support/cli.js';
import { cleanupProject, docker, envValue, TEST_IMAGE, uniqueProject } from '../support/docker.js';

// FINDINGS F21: `berth rollback` re-applies a set from history, which holds only the digest and
// source of each Secret and Config. The values come back from the source when it still holds
// them, else from the file berth wrote for that digest; a value found nowhere is refused before
// any change, naming the object and never its value.
const project = uniqueProject('rbsec');
const work = mkdtempSync(join(tmpdir(), 'berth-rbsec-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
const app = `${project}-app`;
afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

function write(mode: string, password: string): void {
  writeFileSync(join(work, 'db.pw'), password);
  writeFileSync(
    join(work, 'app.yaml'),
    `apiVersion: berth/v1
kind: Secret
metadata: {name: db-password}
spec: {file: ./db.pw}
---
apiVersion: berth/v1
kind: Config
metadata: {name: motd}
spec: {content: "hello config\\n"}
---
apiVersion: berth/v1
kind: Container
metadata: {name: app}
spec:
  image: ${TEST_IMAGE}
  init: true
  command: [sleep, "3600"]
  env: {MODE: ${mode}}
  update: {minReady: 1s}
  mounts:
    - {secret: db-password}
    - {config: motd, target: /etc/motd}
`,
  );
}

const apply = () => berth(['apply', '-f', join(work, 'app.yaml'), '-p', project], { env });
// A new process: the values the applies read are not in its memory.
const rollback = () => berthProcess(['rollback', '-p', project], { env });
const secretInside = () => docker('exec', app, 'cat', '/run/secrets/db-password');

describe('rollback of a set with a Secret and a Config', () => {
  it('brings the values back from their source or berth’s files, in a new process', async () => {
    write('one', 'pw-alpha');
    expect((await apply()).code).toBe(0);
    write('two', 'pw-alpha');
    expect((await apply()).code).toBe(0);
    const back = await rollback();
    expect(back.code, back.stderr + back.stdout).toBe(0);
    expect(await envValue(app, 'MODE')).toBe('one');
    expect(await secretInside()).toBe('pw-alpha');
    expect(await docker('exec', app, 'cat', '/etc/motd')).toBe('hello config');
  }, 120_000);

  it('refuses before any change when neither the source nor berth’s files hold the value', async () => {
    write('three', 'pw-bravo');
    expect((await apply()).code).toBe(0);
    const before = await docker('inspect', '-f', '{{.Id}}', app);
    // The apply before this one mounted pw-alpha; the file now says pw-bravo.
    const refused = await rollback();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Secret\/db-password \(file .*db\.pw\)/);
    expect(refused.stderr + refused.stdout).not.toContain('pw-alpha');
    expect(await docker('inspect', '-f', '{{.Id}}', app)).toBe(before);
    expect(await envValue(app, 'MODE')).toBe('three');
    // The source holds that value again: the rollback goes through.
    writeFileSync(join(work, 'db.pw'), 'pw-alpha');
    const back = await rollback();
    expect(back.code, back.stderr + back.stdout).toBe(0);
    expect(await envValue(app, 'MODE')).toBe('one');
    expect(await secretInside()).toBe('pw-alpha');
  }, 120_000);
});
