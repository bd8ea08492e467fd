import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth, berthProcess, type CliRun } from '../support/cli.js';
import { cleanupProject, docker, freePort, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { eventually, spawnBerth, tearDownWatch, waitForApi } from './watch-support.js';

/**
 * Secret and Config kinds on the real engine: mounted read-only with mode/uid/gid, a
 * changed value recreates, and a secret's value (a canary) never appears in any output —
 * also where an output quotes a container's own (a health probe that prints it, F562).
 */

const work = mkdtempSync(join(tmpdir(), 'berth-secret-'));
const state = join(work, 'state');
const FILE_CANARY = 'canary-file-7f3a9c1e';
const ENV_CANARY = 'canary-env-52d0b8aa';
const env = { XDG_STATE_HOME: state, SHOP_TOKEN: ENV_CANARY };
afterAll(() => rmSync(work, { recursive: true, force: true }));

const manifest = `apiVersion: berth/v1
kind: Secret
metadata: {name: db-password}
spec: {file: ./db.pw}
---
apiVersion: berth/v1
kind: Secret
metadata: {name: token}
spec: {env: SHOP_TOKEN}
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
  user: "1000:1000"
  command: [sleep, "3600"]
  env: {PASSWORD_FILE: /run/secrets/db-password}
  mounts:
    - {secret: db-password, uid: 1000, gid: 1000, mode: "0400"}
    - {secret: token, target: /run/token, uid: 1000, mode: "0440"}
    - {config: motd}
`;

function write(dir: string, password: string, text = manifest): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'app.yaml'), text);
  writeFileSync(join(dir, 'db.pw'), password);
  return dir;
}

function filesUnder(dir: string, skip: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => !f.startsWith(skip) && statSync(f).isFile());
}

describe('Secret and Config', () => {
  const project = uniqueProject('sec');
  const dir = join(work, 'app');
  const run = (...args: string[]) => berth([...args, '-p', project], { env });
  afterAll(() => cleanupProject(project));

  it('mounts each value read-only with its mode and owner, readable by the container user', async () => {
    const out = await run('apply', '-f', write(dir, FILE_CANARY));
    expect(out.code).toBe(0);
    const name = `${project}-app`;
    expect(await docker('exec', name, 'cat', '/run/secrets/db-password')).toBe(FILE_CANARY);
    expect(await docker('exec', name, 'cat', '/run/token')).toBe(ENV_CANARY);
    expect(await docker('exec', name, 'cat', '/motd')).toBe('hello config');
    expect(await docker('exec', name, 'stat', '-c', '%a %u %g', '/run/secrets/db-password')).toBe(
      '400 1000 1000',
    );
    expect(await docker('exec', name, 'stat', '-c', '%a %u', '/run/token')).toBe('440 1000');
    expect(await docker('exec', name, 'stat', '-c', '%a %u', '/motd')).toBe('444 0');
    await expect(
      docker('exec', name, 'sh', '-c', 'echo x > /run/secrets/db-password'),
    ).rejects.toThrow(/Read-only/i);
  });

  it('never shows a secret value: CLI outputs, logs, records, labels and Config.Env', async () => {
    const outputs: CliRun[] = [
      await run('validate', '-f', dir),
      await run('validate', '-f', dir, '-o', 'json'),
      await run('plan', '-f', dir),
      await run('plan', '-f', dir, '-o', 'json'),
      await run('apply', '-f', dir, '--log-level', 'debug'),
      await run('apply', '-f', dir, '--dry-run', '-o', 'json'),
      await run('status'),
      await run('status', '-o', 'json'),
      await run('status', '-o', 'yaml'),
      await run('get', '-o', 'json'),
      await run('get', '-o', 'yaml'),
      await run('get', 'Secret', '-o', 'wide'),
      await run('describe', 'Container/app'),
      await run('describe', 'Secret/db-password'),
      await run('describe', 'Secret/token', '-o', 'json'),
      await run('history', '-o', 'json'),
      await run('history', '-o', 'yaml'),
    ];
    const text = outputs.map((o) => o.stdout + o.stderr).join('\n');
    expect(text).toContain('db-password');
    const records = filesUnder(
      join(state, 'berth', project),
      join(state, 'berth', project, 'files'),
    );
    expect(records.length).toBeGreaterThan(0);
    const recorded = records.map((f) => readFileSync(f, 'utf8')).join('\n');
    const inspect = await docker(
      'inspect',
      '-f',
      '{{json .Config.Env}} {{json .Config.Labels}}',
      `${project}-app`,
    );
    for (const canary of [FILE_CANARY, ENV_CANARY]) {
      expect(text).not.toContain(canary);
      expect(recorded).not.toContain(canary);
      expect(inspect).not.toContain(canary);
    }
  });

  it('a changed value recreates the containers that mount it, naming the secret as the cause', async () => {
    const before = await docker('inspect', '-f', '{{.Id}}', `${project}-app`);
    write(dir, 'rotated-value');
    const plan = await run('plan', '-f', dir);
    expect(plan.stdout).toMatch(/~ Container\/app\s+create\s+Secret db-password changed/);
    expect(plan.stdout + plan.stderr).not.toContain('rotated-value');
    expect((await run('apply', '-f', dir)).code).toBe(0);
    expect(await docker('inspect', '-f', '{{.Id}}', `${project}-app`)).not.toBe(before);
    expect(await docker('exec', `${project}-app`, 'cat', '/run/secrets/db-password')).toBe(
      'rotated-value',
    );
    expect((await run('plan', '-f', dir, '--exit-code')).code).toBe(0);
  });

  it('a missing secret file or unset variable is file:line:col, and nothing is applied', async () => {
    const other = uniqueProject('sec-bad');
    const bad = join(work, 'bad');
    write(bad, 'x');
    rmSync(join(bad, 'db.pw'));
    const out = await berth(['apply', '-f', bad, '-p', other], {
      env: { XDG_STATE_HOME: state },
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      /app\.yaml:4:\d+: Secret "db-password": spec\.file .*db\.pw does not exist \[E_SECRET_SOURCE\]/,
    );
    expect(out.stderr).toMatch(
      /app\.yaml:9:\d+: Secret "token": spec\.env names SHOP_TOKEN, which is set neither/,
    );
    expect(await docker('ps', '-aq', '--filter', `label=berth.project=${other}`)).toBe('');
  });
});

/**
 * F562: a running container whose health probe prints a Secret it mounts and fails. Every
 * path that quotes the probe (status's `Unhealthy` message in status, get, describe; `berth
 * run`'s dependency wait; the status API, its event streams and the web view of `berth
 * watch`; status through the controller) shows the output with the value masked. The CLI
 * runs are separate processes without the variable the Secret is read from: they know the
 * value only from the files berth mounts, as a user's `berth status` the next day does.
 */
describe('a health probe that prints a Secret', () => {
  const project = uniqueProject('sec-probe');
  const dir = join(work, 'probe');
  const probe = 'echo probe-says token $$(cat /run/token); exit 1';
  const text = `apiVersion: berth/v1
kind: Secret
metadata: {name: token}
spec: {env: SHOP_TOKEN}
---
apiVersion: berth/v1
kind: Container
metadata: {name: leaky}
spec:
  image: ${TEST_IMAGE}
  init: true
  command: [sleep, "3600"]
  mounts: [{secret: token, target: /run/token}]
  healthcheck: {command: [CMD-SHELL, "${probe}"], interval: 1s, timeout: 1s, retries: 1, restartOnUnhealthy: false}
---
apiVersion: berth/v1
kind: Container
metadata: {name: waiter}
spec:
  image: ${TEST_IMAGE}
  command: [sleep, "1"]
  restartPolicy: Never
  dependsOn: [{container: leaky, condition: healthy}]
`;
  const noToken = { XDG_STATE_HOME: state };
  const cli = (...args: string[]) => berthProcess(['-p', project, ...args], { env: noToken });
  const quoted = /probe-says token \*\*\*/;
  let watch: ReturnType<typeof spawnBerth> | undefined;
  afterAll(() => tearDownWatch(watch, project));

  it('is quoted masked by status, get, describe and run', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'app.yaml'), text);
    // The dependant fails at once (its dependency is unhealthy): apply's own reason, masked.
    const applied = await berth(['apply', '-f', dir, '-p', project], { env });
    expect(applied.stdout + applied.stderr).toMatch(quoted);
    const unhealthy = async () =>
      (await docker('inspect', '-f', '{{.State.Health.Status}}', `${project}-leaky`)) ===
      'unhealthy';
    expect(await eventually(unhealthy, 30_000)).toBe(true);
    const outputs = [
      await cli('status'),
      await cli('status', '-o', 'json'),
      await cli('get', '-o', 'json'),
      await cli('get', '-o', 'yaml'),
      await cli('get', 'Container/leaky', '-o', 'wide'),
      await cli('describe', 'Container/leaky'),
      await cli('describe', 'Container/leaky', '-o', 'json'),
      await cli('run', '--rm', 'waiter', '--', 'true'),
    ];
    const all = outputs.map((o) => o.stdout + o.stderr).join('\n');
    for (const o of [outputs[1], outputs[2], outputs[5], outputs[7]])
      expect(o!.stdout + o!.stderr).toMatch(quoted);
    expect(outputs[7]!.code).toBe(2);
    expect(all).not.toContain(ENV_CANARY);
  }, 120_000);

  it('is quoted masked by the status API, its streams, the web view and status through it', async () => {
    const listen = `127.0.0.1:${await freePort()}`;
    watch = spawnBerth(['watch', dir, '-p', project, '--listen', listen], env);
    await waitForApi(watch);
    const api = watch.api;
    const status = async () => (await fetch(`${api}/api/v1/status`)).text();
    expect(await eventually(async () => quoted.test(await status()), 30_000), watch.stderr()).toBe(
      true,
    );
    // An exec whose command line holds the value, while the events stream is read: the engine's
    // exec_create event carries that command line (F660).
    const events = streamFor(`${api}/api/v1/events`, 3_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await docker('exec', `${project}-leaky`, 'sh', '-c', `echo ${ENV_CANARY} > /dev/null`);
    const bodies = [
      await status(),
      await (await fetch(`${api}/api/v1/objects/Container/leaky`)).text(),
      await (await fetch(`${api}/`)).text(),
      await streamFor(`${api}/api/v1/stream`, 3_000),
      await events,
    ];
    expect(bodies[4]).toContain('exec_create');
    expect(bodies[1]).toMatch(quoted);
    expect(bodies[3]).toMatch(quoted);
    const through = await cli('status', '-o', 'json');
    expect(through.stdout).toMatch(quoted);
    const all = [...bodies, through.stdout, through.stderr, watch.stdout(), watch.stderr()];
    expect(all.join('\n')).not.toContain(ENV_CANARY);
  }, 120_000);
});

/** What a server-sent-events endpoint sends in its first `ms`. */
async function streamFor(url: string, ms: number): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  let text = '';
  try {
    const response = await fetch(url, { signal: controller.signal });
    const reader = response.body!.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
  } catch (e) {
    if (!controller.signal.aborted) throw e;
  } finally {
    clearTimeout(timer);
  }
  return text;
}
