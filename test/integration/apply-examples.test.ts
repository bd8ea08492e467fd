import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import {
  mutatingRequests,
  startCountingProxy,
  type CountingProxy,
} from '../support/counting-proxy.js';
import { cleanupProject, docker, freePort, uniqueProject } from '../support/docker.js';

/**
 * Every example applies on the real engine, is idempotent (a second apply makes no
 * mutating call and at most five calls in all), converges after drift made with the
 * docker CLI, and deletes cleanly.
 */

const state = mkdtempSync(join(tmpdir(), 'berth-state-'));
const env = { XDG_STATE_HOME: state };
let proxy: CountingProxy;

beforeAll(async () => {
  proxy = await startCountingProxy(join(state, 'engine.sock'));
});
afterAll(async () => {
  await proxy.close();
  rmSync(state, { recursive: true, force: true });
});

const status = (name: string) => docker('inspect', '-f', '{{.State.Status}}', name);
const ownedLeft = async (project: string) => {
  const filter = `label=berth.project=${project}`;
  const lists = await Promise.all([
    docker('ps', '-aq', '--filter', filter),
    docker('network', 'ls', '-q', '--filter', filter),
    docker('volume', 'ls', '-q', '--filter', filter),
  ]);
  return lists.join('').trim();
};

describe('examples/hello', () => {
  const project = uniqueProject('hello');
  const apply = (...extra: string[]) =>
    berth(['apply', '-f', 'examples/hello', '-p', project, ...extra], { env });
  afterAll(() => cleanupProject(project));

  it('applies, labels its container, and a second apply changes nothing', async () => {
    const first = await apply();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(await status(`${project}-hello`)).toBe('running');
    const labels = JSON.parse(
      await docker('inspect', '-f', '{{json .Config.Labels}}', `${project}-hello`),
    );
    expect(labels).toMatchObject({
      'berth.project': project,
      'berth.kind': 'Container',
      'berth.name': 'hello',
    });
    expect(labels['berth.spec-hash']).toMatch(/^[0-9a-f]{8,}$/);

    proxy.seen.length = 0;
    const second = await apply('--engine', `unix://${proxy.socketPath}`);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('unchanged');
    expect(mutatingRequests(proxy.seen)).toEqual([]);
    expect(proxy.seen.length).toBeLessThanOrEqual(5);
  });

  it.each([
    ['stopped', ['stop', '-t', '1']],
    ['paused', ['pause']],
    ['killed', ['kill']],
    ['removed', ['rm', '-f']],
  ])('converges after the container was %s by hand', async (_what, command) => {
    await docker(...command, `${project}-hello`);
    const plan = await berth(['plan', '-f', 'examples/hello', '-p', project, '--exit-code'], {
      env,
    });
    expect(plan.code).toBe(2);
    const again = await apply();
    expect(again.code).toBe(0);
    expect(await status(`${project}-hello`)).toBe('running');
    expect(
      (await berth(['plan', '-f', 'examples/hello', '-p', project, '--exit-code'], { env })).code,
    ).toBe(0);
  });

  it('recreates on a spec change and names the changed field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-hello-'));
    try {
      cpSync('examples/hello', dir, { recursive: true });
      const file = join(dir, 'hello.yaml');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('spec:\n', 'spec:\n  env: {GREETING: changed}\n'),
      );
      const before = await docker('inspect', '-f', '{{.Id}}', `${project}-hello`);
      const plan = await berth(['plan', '-f', dir, '-p', project], { env });
      expect(plan.stdout).toMatch(/~ Container\/hello\s+create\s+spec changed: env \(start-first/);
      expect((await berth(['apply', '-f', dir, '-p', project], { env })).code).toBe(0);
      const after = await docker('inspect', '-f', '{{.Id}}', `${project}-hello`);
      expect(after).not.toBe(before);
      expect(await docker('inspect', '-f', '{{json .Config.Env}}', `${project}-hello`)).toContain(
        'GREETING=changed',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('deletes everything it owns', async () => {
    const result = await berth(['delete', '-f', 'examples/hello', '-p', project], { env });
    expect(result.code).toBe(0);
    expect(await ownedLeft(project)).toBe('');
  });
});

describe('examples/lifecycle', () => {
  const project = uniqueProject('life');
  afterAll(() => cleanupProject(project));

  it('holds one container in each declarable state', async () => {
    const result = await berth(['apply', '-f', 'examples/lifecycle', '-p', project], { env });
    expect(result.code).toBe(0);
    expect(await status(`${project}-runner`)).toBe('running');
    expect(await status(`${project}-sleeper`)).toBe('paused');
    expect(await status(`${project}-finished`)).toBe('exited');
    expect(await status(`${project}-standby`)).toBe('created');
    const again = await berth(['plan', '-f', 'examples/lifecycle', '-p', project, '--exit-code'], {
      env,
    });
    expect(again.stdout).toContain('no changes');
    expect(again.code).toBe(0);
  });

  it('deletes cleanly', async () => {
    expect((await berth(['delete', '-f', 'examples/lifecycle', '-p', project], { env })).code).toBe(
      0,
    );
    expect(await ownedLeft(project)).toBe('');
  });
});

describe('examples/webapp', () => {
  const project = uniqueProject('web');
  // A copy on a free host port, so a demo left running on the example's port cannot collide.
  const dir = mkdtempSync(join(tmpdir(), 'berth-webapp-'));
  beforeAll(async () => {
    cpSync('examples/webapp', dir, { recursive: true });
    const file = join(dir, 'webapp.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '127.0.0.1:18080:8080',
        `127.0.0.1:${await freePort()}:8080`,
      ),
    );
  });
  afterAll(async () => {
    await cleanupProject(project);
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds, serves the bind-mounted site, and the client reaches the server by name', async () => {
    const result = await berth(['apply', '-f', dir, '-p', project], { env });
    expect(result.code).toBe(0);
    expect(await docker('inspect', '-f', '{{.State.Health.Status}}', `${project}-server`)).toBe(
      'healthy',
    );
    const page = await docker(
      'exec',
      `${project}-client`,
      'wget',
      '-q',
      '-O',
      '-',
      'http://server:8080/',
    );
    expect(page).toContain('Served by berth');
    const viaAlias = await docker(
      'exec',
      `${project}-client`,
      'wget',
      '-q',
      '-O',
      '-',
      'http://www:8080/',
    );
    expect(viaAlias).toContain('Served by berth');
    const image = await docker(
      'image',
      'inspect',
      '-f',
      '{{json .Config.Labels}}',
      'localhost/berth-webapp:1',
    );
    expect(JSON.parse(image)['berth.build-hash']).toMatch(/[0-9a-f]+/);
  });

  it('does not rebuild or recreate on a second apply', async () => {
    const before = await docker('inspect', '-f', '{{.Id}}', `${project}-server`);
    const again = await berth(['apply', '-f', dir, '-p', project], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('unchanged');
    expect(await docker('inspect', '-f', '{{.Id}}', `${project}-server`)).toBe(before);
  });

  it('deletes cleanly, leaving the host folder in place', async () => {
    expect((await berth(['delete', '-f', dir, '-p', project], { env })).code).toBe(0);
    expect(await ownedLeft(project)).toBe('');
    expect(readFileSync(join(dir, 'site/index.html'), 'utf8')).toContain('Served by berth');
  });
});

describe('examples/shop', () => {
  const project = uniqueProject('shop');
  // A copy on a free host port, so a demo left running on the example's port cannot collide.
  const dir = mkdtempSync(join(tmpdir(), 'berth-shop-'));
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
    cpSync('examples/shop', dir, { recursive: true });
    const file = join(dir, 'shop.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('127.0.0.1:18081:8080', `127.0.0.1:${port}:8080`),
    );
  });
  afterAll(async () => {
    await cleanupProject(project);
    rmSync(dir, { recursive: true, force: true });
  });
  const inWeb = (...cmd: string[]) => docker('exec', `${project}-web`, ...cmd);

  it('applies web, two api replicas and db, and status says all is in sync and ready', async () => {
    const result = await berth(['apply', '-f', dir, '-p', project, '--wait'], { env });
    expect(result.stderr).not.toMatch(/failed/);
    expect(result.code).toBe(0);
    for (const name of ['web', 'api-1', 'api-2', 'db'])
      expect(await docker('inspect', '-f', '{{.State.Health.Status}}', `${project}-${name}`)).toBe(
        'healthy',
      );
    const status = await berth(['status', '-p', project], { env });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/In sync:\s+yes \(11 objects\)/);
  });

  it('answers on 127.0.0.1 only, through web → api (by name) → db (private network)', async () => {
    const page = await (await fetch(`http://127.0.0.1:${port}/cgi-bin/items`)).text();
    expect(page).toMatch(
      /^api \S+ \(1\.0\): hello from the api-config Config\napple\nbread\ncheese/,
    );
    expect(await docker('port', `${project}-web`, '8080/tcp')).toBe(`127.0.0.1:${port}`);
    // Both replicas answer to the name "api" on the project's default network.
    const answers = await inWeb('nslookup', 'api');
    expect(answers.match(/Address: \d+\.\d+\.\d+\.\d+/g)).toHaveLength(2);
    expect(await inWeb('wget', '-q', '-O', '-', 'http://api:8080/cgi-bin/items')).toContain(
      'cheese',
    );
    // web is not on the private network: the db's name does not even resolve there.
    await expect(inWeb('wget', '-q', '-O', '-', 'http://db:5432/items.txt')).rejects.toThrow();
    const networks = await docker(
      'inspect',
      '-f',
      '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}',
      `${project}-api-1`,
    );
    expect(networks.trim().split(' ').sort()).toEqual([
      `${project}-default`,
      `${project}-shop-backend`,
    ]);
  });

  it('keeps the secret out of the engine and the data in the named volume', async () => {
    const db = await docker('inspect', `${project}-db`);
    expect(db).not.toContain('change-me-example-only');
    expect(await docker('exec', `${project}-db`, 'cat', '/data/items.txt')).toBe(
      'apple\nbread\ncheese',
    );
    expect(
      await docker('exec', `${project}-db`, 'stat', '-c', '%a', '/run/secrets/db-password'),
    ).toBe('400');
  });

  it('changes nothing on a second apply (no rebuild, no recreate)', async () => {
    const before = await docker('inspect', '-f', '{{.Id}}', `${project}-api-1`);
    const again = await berth(['apply', '-f', dir, '-p', project], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('unchanged');
    expect(await docker('inspect', '-f', '{{.Id}}', `${project}-api-1`)).toBe(before);
  });

  it('deletes everything it owns (with --purge, the volume too)', async () => {
    const result = await berth(['delete', '-f', dir, '-p', project, '--purge'], { env });
    expect(result.code).toBe(0);
    expect(await ownedLeft(project)).toBe('');
  });
});
