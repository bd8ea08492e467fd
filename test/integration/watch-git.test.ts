import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from '../../controller/git/webhook.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { TestRepo } from '../support/git-repo.js';
import {
  containerYaml,
  eventually,
  spawnGitWatch,
  stateOf,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

const project = uniqueProject('git');
const SECRET = 'hook-secret';
let repo: TestRepo;
let stateHome: string;
let hostRoot: string;
let watch: WatchProcess;

const engineName = (n: string) => `${project}-${n}`;
const envOf = async (n: string) => docker('inspect', '-f', '{{json .Config.Env}}', engineName(n));
const labelOf = async (n: string, l: string) =>
  docker('inspect', '-f', `{{index .Config.Labels "${l}"}}`, engineName(n));
const status = async () =>
  (await (await fetch(`${watch.api}/api/v1/status`)).json()) as {
    source: {
      revision: string | null;
      head: string | null;
      conditions: { status: string; message: string; consecutiveFailures: number }[];
    };
    notice: string | null;
  };
const history = async () => {
  const { runBerthJson } = await import('./git-cli-helper.js');
  return runBerthJson(['history', '-p', project, '-o', 'json'], stateHome);
};

function app(mode: string, extra = ''): Record<string, string> {
  return {
    'deploy/web.yaml': containerYaml(
      'web',
      // A 1 s update gate, not the default 3 s: the commits are tested here, not the gate.
      `  env: {MODE: ${mode}}\n  mounts: [{bindMount: cache, target: /cache}]\n  update: {minReady: 1s}\n`,
    ),
    'deploy/cache.yaml':
      'apiVersion: berth/v1\nkind: BindMount\nmetadata: {name: cache}\nspec: {hostPath: ./cache}\n',
    ...(extra ? { 'deploy/extra.yaml': extra } : {}),
  };
}

beforeAll(async () => {
  repo = new TestRepo();
  stateHome = await mkdtemp(join(tmpdir(), 'berth-git-state-'));
  hostRoot = await mkdtemp(join(tmpdir(), 'berth-git-host-'));
  repo.commit('first', app('one'));
  // The secret from the environment, not the command line that every local user sees (F34).
  watch = await spawnGitWatch(
    repo.dir,
    project,
    hostRoot,
    { XDG_STATE_HOME: stateHome, BERTH_WEBHOOK_SECRET: SECRET },
    ['--resync', '30s'],
  );
  await waitForApi(watch);
  const up = await eventually(async () => (await stateOf(engineName('web'))) === 'running', 60_000);
  if (!up) throw new Error(`did not converge:\n${watch.stderr()}`);
}, 120_000);

afterAll(async () => {
  watch?.child.kill('SIGTERM');
  await watch?.exited;
  await cleanupProject(project);
  repo?.remove();
  await rm(stateHome, { recursive: true, force: true });
  await rm(hostRoot, { recursive: true, force: true });
});

describe('berth watch --git on the real engine', () => {
  it('applies the commit, resolves bind mounts under --host-root, and shows the source as ready', async () => {
    expect(await envOf('web')).toContain('MODE=one');
    expect((await stat(join(hostRoot, 'deploy', 'cache'))).isDirectory()).toBe(true);
    const s = await status();
    expect(s.source.revision).toBe(repo.git('rev-parse', 'HEAD').trim());
    expect(s.source.conditions[0]).toMatchObject({ status: 'True', consecutiveFailures: 0 });
    const metrics = await (await fetch(`${watch.api}/metrics`)).text();
    expect(metrics).toMatch(/^berth_source_seconds_since_last_good_check \d+(\.\d+)?$/m);
    expect(metrics).toMatch(/^berth_source_consecutive_failures 0$/m);
  });

  it('a new commit converges within seconds and is in history with sha, author and subject', async () => {
    const sha = repo.commit('switch to two', app('two'));
    const done = await eventually(
      async () => (await envOf('web').catch(() => '')).includes('MODE=two'),
      20_000,
      50,
    );
    expect(done).toBe(true);
    const entries = await eventually(
      async () => (await history()).some((e) => e.commit === sha),
      10_000,
    );
    expect(entries).toBe(true);
    const entry = (await history()).find((e) => e.commit === sha)!;
    expect(entry).toMatchObject({
      author: 'Ada Tester <ada@example.test>',
      subject: 'switch to two',
    });
    // Issue 15: the container made for the commit names it and the apply (not hashed).
    expect(await labelOf('web', 'berth.commit')).toBe(sha);
    expect(await labelOf('web', 'berth.apply')).toBe((entry as { id?: string }).id);
  });

  it('a commit outside --path applies nothing and adds no history entry', async () => {
    const before = (await history()).length;
    const id = await docker('inspect', '-f', '{{.Id}}', engineName('web'));
    const sha = repo.commit('docs', { 'docs/readme.md': 'hello\n' });
    expect(await eventually(async () => (await status()).source.head === sha, 10_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect((await history()).length).toBe(before);
    expect(await docker('inspect', '-f', '{{.Id}}', engineName('web'))).toBe(id);
  });

  it('reads a Secret file from its checkout; a commit changing only the file updates the container and is a change (F156)', async () => {
    const secretSet = (value: string) => ({
      'deploy/pw.txt': value,
      'deploy/reader.yaml':
        'apiVersion: berth/v1\nkind: Secret\nmetadata: {name: pw}\nspec: {file: ./pw.txt}\n---\n' +
        containerYaml('reader', '  mounts: [{secret: pw, target: /run/secrets/pw}]\n'),
    });
    const read = () =>
      docker('exec', engineName('reader'), 'cat', '/run/secrets/pw').catch(() => '');
    // The checkout lies in berth's state directory, which the baseline policy closes (F153).
    repo.commit('add a secret', secretSet('first-value\n'));
    const first = await eventually(async () => (await read()) === 'first-value', 30_000);
    expect(first, watch.stderr()).toBe(true);
    const sha = repo.commit('rotate the secret', { 'deploy/pw.txt': 'second-value\n' });
    expect(await eventually(async () => (await read()) === 'second-value', 30_000)).toBe(true);
    expect(
      await eventually(async () => (await history()).some((e) => e.commit === sha), 10_000),
    ).toBe(true);
    const entry = (await history()).find((e) => e.commit === sha)!;
    expect(entry.outcome).toBe('converged');
    expect(entry.counts.changed).toBeGreaterThanOrEqual(1);
  });

  it('a commit with a broken manifest keeps the last good objects, prunes nothing, and names file:line:col', async () => {
    const id = await docker('inspect', '-f', '{{.Id}}', engineName('web'));
    repo.commit('broken', {
      'deploy/web.yaml':
        'apiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\nspec: {imgae: x}\n',
    });
    expect(await eventually(async () => ((await status()).notice ?? '').length > 0, 10_000)).toBe(
      true,
    );
    const text = JSON.stringify(await status());
    expect(text).toMatch(/deploy\/web\.yaml:4:\d+/);
    expect(await docker('inspect', '-f', '{{.Id}}', engineName('web'))).toBe(id);
    expect(await labelOf('web', 'berth.name')).toBe('web');
  });

  it('webhook: a bad signature is refused with 401; a good one triggers a check', async () => {
    const body = JSON.stringify({ ref: 'refs/heads/main' });
    const post = (headers: Record<string, string>) =>
      fetch(`${watch.api}/api/v1/webhook`, { method: 'POST', body, headers });
    expect((await post({})).status).toBe(401);
    expect((await post({ 'X-Hub-Signature-256': signBody(body, 'wrong') })).status).toBe(401);
    expect((await post({ 'X-Hub-Signature-256': signBody(body, SECRET) })).status).toBe(202);
    expect((await post({ 'X-Gitlab-Token': SECRET })).status).toBe(202);
  });

  it('never writes credentials or the webhook secret to its log', async () => {
    expect(watch.stderr()).not.toContain(SECRET);
    const records = await readFile(join(stateHome, 'berth', project, 'history.json'), 'utf8');
    expect(records).toContain('switch to two');
    expect(records).not.toContain(SECRET);
  });

  it('a refused commit names as kept the commit whose set runs, not one the controller refused (F35)', async () => {
    const applied = (await history())[0]?.commit ?? '';
    expect(applied).toMatch(/^[0-9a-f]{40}$/);
    // A commit whose folder declares nothing: read, refused by the controller (keeps its set).
    repo.git('rm', '--quiet', '-r', 'deploy');
    const empty = repo.commit('empty deploy (only a README)', { 'deploy/README.md': 'none\n' });
    const refused = await eventually(async () => {
      const s = await status();
      return s.source.revision === empty && /declares nothing/.test(s.notice ?? '');
    }, 10_000);
    expect(refused).toBe(true);
    // Then a commit without the folder: the source refuses it, keeping what runs.
    repo.git('rm', '--quiet', '-r', 'deploy');
    const gone = repo.commit('remove deploy', {});
    const named = await eventually(
      async () =>
        Boolean((await status()).source.conditions[0]?.message.includes(gone.slice(0, 12))),
      10_000,
    );
    expect(named).toBe(true);
    expect((await status()).source.conditions[0]?.message).toBe(
      `commit ${gone.slice(0, 12)} has no folder deploy; keeping the last good commit ${applied.slice(0, 12)}`,
    );
    expect(await envOf('web')).toContain('MODE=two');
    // The container the last applied commit made (the secret's rotation) still runs.
    expect(await labelOf('reader', 'berth.commit')).toBe(applied);
  });
});
