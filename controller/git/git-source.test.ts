import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestRepo } from '../../test/support/git-repo.js';
import { normaliseRepoUrl } from './git-mirror.js';
import { GitSource, type GitRevision } from './git-source.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-git-state-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function repo(): TestRepo {
  const r = new TestRepo();
  cleanups.push(() => r.remove());
  return r;
}

async function source(
  url: string,
  extra: Partial<ConstructorParameters<typeof GitSource>[0]> = {},
) {
  const seen: GitRevision[] = [];
  const s = new GitSource({ url, intervalMs: 0, stateDir: stateDir(), project: 'app', ...extra });
  cleanups.push(() => s.stop());
  await s.start({ revision: async (r) => void seen.push(r) });
  return { s, seen };
}

async function until(test: () => boolean, ms = 10_000): Promise<number> {
  const start = Date.now();
  while (!test()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

describe('GitSource on a local repository', () => {
  it('hands over the first commit with author and subject, and the manifests under --path', async () => {
    const r = repo();
    const sha = r.commit('first deploy', { 'deploy/app.yaml': 'a: 1\n', README: 'x' });
    const { s, seen } = await source(normaliseRepoUrl(r.dir, '/'), { path: 'deploy' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      sha,
      subject: 'first deploy',
      author: 'Ada Tester <ada@example.test>',
    });
    expect(readFileSync(join(seen[0]!.dir, 'app.yaml'), 'utf8')).toBe('a: 1\n');
    expect(s.condition()).toMatchObject({ status: 'True', consecutiveFailures: 0, revision: sha });
  });

  it('notices a new commit within 1 s without polling, and ignores commits outside --path', async () => {
    const r = repo();
    r.commit('one', { 'deploy/app.yaml': 'a: 1\n' });
    const { s, seen } = await source(normaliseRepoUrl(r.dir, '/'), { path: 'deploy' });
    const two = r.commit('two', { 'deploy/app.yaml': 'a: 2\n' });
    // Noticed at all with polling off (interval 0) proves the ref is watched. How soon (DESIGN's
    // 1 s) is measured by the bench ("git commit → converged"), not here: a time bar in a
    // suite sharing two cores with the engine failed spuriously (F720, F740, F761).
    await until(() => seen.length === 2);
    expect(seen[1]!.sha).toBe(two);
    expect(readFileSync(join(seen[1]!.dir, 'app.yaml'), 'utf8')).toBe('a: 2\n');

    const fetchesBefore = s.counters.fetches;
    const three = r.commit('docs only', { 'docs/readme.md': 'hello' });
    await until(() => s.condition().head === three);
    await s.checkNow();
    expect(s.counters.fetches).toBe(fetchesBefore + 1);
    expect(seen).toHaveLength(2);
    expect(s.condition().revision).toBe(two);
  });

  it('keeps the last good revision when the ref is deleted or the folder is not a repository', async () => {
    const r = repo();
    const one = r.commit('one', { 'app.yaml': 'a: 1\n' });
    r.git('branch', 'release');
    const { s, seen } = await source(normaliseRepoUrl(r.dir, '/'), { ref: 'release' });
    r.git('branch', '-D', 'release');
    await s.checkNow();
    expect(s.condition()).toMatchObject({ status: 'False', consecutiveFailures: 1, revision: one });
    expect(s.condition().reason).toMatch(/ref release does not exist/);
    await s.checkNow();
    expect(s.condition().consecutiveFailures).toBe(2);
    expect(seen).toHaveLength(1);

    const notRepo = mkdtempSync(join(tmpdir(), 'berth-not-a-repo-'));
    cleanups.push(() => rmSync(notRepo, { recursive: true, force: true }));
    const other = await source(normaliseRepoUrl(notRepo, '/'));
    expect(other.s.condition()).toMatchObject({ status: 'False', consecutiveFailures: 1 });
    expect(other.s.condition().lastError).toMatch(/not.*git repository|does not appear/i);
    expect(other.seen).toHaveLength(0);
  });

  it('reports a source that stops being ready once, and its recovery once (F32)', async () => {
    const r = repo();
    r.commit('one', { 'app.yaml': 'a: 1\n' });
    r.git('branch', 'release');
    const changes: string[] = [];
    const { s } = await source(normaliseRepoUrl(r.dir, '/'), {
      ref: 'release',
      onChange: (now, before) => changes.push(`${before.status}->${now.status}`),
    });
    r.git('branch', '-D', 'release');
    await s.checkNow();
    await s.checkNow();
    await s.checkNow();
    r.git('branch', 'release');
    await s.checkNow();
    await s.checkNow();
    expect(changes).toEqual(['Unknown->True', 'True->False', 'False->True']);
  });

  it('a refused commit keeps, and names, the commit whose set the controller runs (F35)', async () => {
    const r = repo();
    const one = r.commit('one', { 'deploy/app.yaml': 'a: 1\n' });
    let applied: string | undefined;
    const s = new GitSource({
      url: normaliseRepoUrl(r.dir, '/'),
      path: 'deploy',
      intervalMs: 0,
      stateDir: stateDir(),
      project: 'app',
      appliedCommit: () => applied,
    });
    cleanups.push(() => s.stop());
    // The controller takes in the first commit, and refuses the second (it declares nothing).
    await s.start({ revision: async (rev) => void (applied ??= rev.sha) });
    r.git('rm', '--quiet', 'deploy/app.yaml');
    const empty = r.commit('empty deploy', { 'deploy/README': 'nothing here\n' });
    await s.checkNow();
    await until(() => s.condition().revision === empty);
    r.git('rm', '--quiet', '-r', 'deploy');
    const gone = r.commit('remove deploy', {});
    await s.checkNow();
    // A check the ref watcher began may still be running: wait for the one that saw `gone`.
    await until(() => s.condition().reason !== undefined);
    expect(s.condition().reason).toBe(
      `commit ${gone.slice(0, 12)} has no folder deploy; keeping the last good commit ${one.slice(0, 12)}`,
    );
  });

  it('refuses a commit whose symbolic links lead outside the repository, keeping the last good one (F159)', async () => {
    const r = repo();
    const one = r.commit('one', { 'deploy/app.yaml': 'a: 1\n' });
    let applied: string | undefined;
    const seen: GitRevision[] = [];
    const s = new GitSource({
      url: normaliseRepoUrl(r.dir, '/'),
      path: 'deploy',
      intervalMs: 0,
      stateDir: stateDir(),
      project: 'app',
      appliedCommit: () => applied,
    });
    cleanups.push(() => s.stop());
    await s.start({ revision: async (rev) => void (seen.push(rev), (applied ??= rev.sha)) });
    // A link inside the repository is fine; one to a host file is not, wherever it is.
    symlinkSync('app.yaml', join(r.dir, 'deploy', 'same.yaml'));
    const inside = r.commit('inside link', {});
    await s.checkNow();
    await until(() => s.condition().revision === inside);
    mkdirSync(join(r.dir, 'secrets'));
    symlinkSync('/etc/hostname', join(r.dir, 'secrets', 'pw'));
    symlinkSync('../../outside.yaml', join(r.dir, 'deploy', 'host.yaml'));
    const bad = r.commit('links out', {});
    await s.checkNow();
    await until(() => s.condition().reason !== undefined);
    expect(s.condition().reason).toMatch(
      new RegExp(
        `^commit ${bad.slice(0, 12)} has symbolic links that lead outside the repository \\(.*deploy/host.yaml -> \\.\\./\\.\\./outside.yaml.*\\); .*keeping the last good commit ${one.slice(0, 12)}$`,
      ),
    );
    expect(s.condition().reason).toContain('secrets/pw -> /etc/hostname');
    expect(seen.map((r) => r.sha)).toEqual([one, inside]);
  });

  it('follows a force-pushed branch to its new commit', async () => {
    const r = repo();
    r.commit('one', { 'app.yaml': 'a: 1\n' });
    const two = r.commit('two', { 'app.yaml': 'a: 2\n' });
    const { s, seen } = await source(normaliseRepoUrl(r.dir, '/'));
    expect(seen.at(-1)!.sha).toBe(two);
    r.git('reset', '--quiet', '--hard', 'HEAD~1');
    const rewritten = r.commit('rewritten', { 'app.yaml': 'a: 3\n' });
    await s.checkNow();
    expect(seen.at(-1)!.sha).toBe(rewritten);
    expect(readFileSync(join(seen.at(-1)!.dir, 'app.yaml'), 'utf8')).toBe('a: 3\n');
  });
});

describe('GitSource for several projects of one repository', () => {
  it('keeps each project on its own ref: one state folder, a branch per environment (F30)', async () => {
    const r = repo();
    r.commit('prod', { 'deploy/app.yaml': 'mode: prod\n' });
    r.git('branch', 'staging');
    r.git('checkout', '--quiet', 'staging');
    r.commit('staging', { 'deploy/app.yaml': 'mode: staging\n' });
    r.git('checkout', '--quiet', 'main');
    const url = normaliseRepoUrl(r.dir, '/');
    const shared = stateDir();
    const read = (s: GitSource) => readFileSync(join(s.checkoutRoot, 'deploy', 'app.yaml'), 'utf8');
    const prod = await source(url, { ref: 'main', stateDir: shared, project: 'shop-prod' });
    const staging = await source(url, {
      ref: 'staging',
      stateDir: shared,
      project: 'shop-staging',
    });
    expect(read(prod.s)).toBe('mode: prod\n');
    expect(read(staging.s)).toBe('mode: staging\n');
    r.git('checkout', '--quiet', 'staging');
    r.commit('staging two', { 'deploy/app.yaml': 'mode: staging-2\n' });
    await staging.s.checkNow();
    expect(read(staging.s)).toBe('mode: staging-2\n');
    expect(read(prod.s)).toBe('mode: prod\n');
    expect(prod.seen).toHaveLength(1);
  });
});

describe('GitSource with signatures', () => {
  it('applies only commits signed by an allowed signer', async () => {
    const r = repo();
    const keys = mkdtempSync(join(tmpdir(), 'berth-keys-'));
    cleanups.push(() => rmSync(keys, { recursive: true, force: true }));
    const key = join(keys, 'id');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ada', '-f', key]);
    const allowed = join(keys, 'allowed');
    writeFileSync(allowed, `ada@example.test ${readFileSync(`${key}.pub`, 'utf8')}`);
    const sign = ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${key}`];
    r.git(...sign, 'commit', '--quiet', '--allow-empty', '-S', '-m', 'signed');
    const signed = r.git('rev-parse', 'HEAD').trim();
    const { s, seen } = await source(normaliseRepoUrl(r.dir, '/'), { allowedSigners: allowed });
    expect(seen.map((x) => x.sha)).toEqual([signed]);
    expect(s.condition().status).toBe('True');

    r.commit('unsigned', { 'app.yaml': 'evil: 1\n' });
    await s.checkNow();
    expect(seen).toHaveLength(1);
    expect(s.condition()).toMatchObject({ status: 'False', revision: signed });
    expect(s.condition().reason).toMatch(/not signed/);
  });
});

describe('GitSource on a remote (git daemon on 127.0.0.1)', () => {
  it('checks the ref with one request and fetches only when it moved', async () => {
    const r = repo();
    r.commit('one', { 'app.yaml': 'a: 1\n' });
    const base = mkdtempSync(join(tmpdir(), 'berth-remote-'));
    cleanups.push(() => rmSync(base, { recursive: true, force: true }));
    execFileSync('git', ['clone', '--quiet', '--bare', r.dir, join(base, 'app.git')]);
    const port = await startDaemon(base);
    const { s, seen } = await source(`git://127.0.0.1:${port}/app.git`);
    expect(seen).toHaveLength(1);
    const before = { ...s.counters };
    await s.checkNow();
    expect(s.counters).toEqual({ refChecks: before.refChecks + 1, fetches: before.fetches });

    const two = r.commit('two', { 'app.yaml': 'a: 2\n' });
    r.git('push', '--quiet', join(base, 'app.git'), 'main');
    await s.checkNow();
    expect(s.counters.fetches).toBe(before.fetches + 1);
    expect(seen.at(-1)!.sha).toBe(two);
  });
});

async function startDaemon(base: string): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const daemon: ChildProcess = spawn(
      'git',
      [
        'daemon',
        '--reuseaddr',
        '--export-all',
        `--base-path=${base}`,
        '--listen=127.0.0.1',
        `--port=${port}`,
        base,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    cleanups.push(() => void daemon.kill());
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(true), 400);
      daemon.once('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (!ready) continue;
    try {
      execFileSync('git', ['ls-remote', `git://127.0.0.1:${port}/app.git`], { stdio: 'ignore' });
      return port;
    } catch {
      daemon.kill();
    }
  }
  throw new Error('git daemon did not start');
}
