import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { containerObject, networkObject } from '../status/testing/fixtures.js';
import {
  HISTORY_LIMIT,
  forgetObjects,
  listRecordedProjects,
  readHistory,
  readLastApplied,
  recordApply,
  type ApplyRecordInput,
} from './index.js';

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'berth-records-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

function input(time: number, overrides: Partial<ApplyRecordInput> = {}): ApplyRecordInput {
  return {
    time,
    sources: [join(stateDir, 'no-such-folder')],
    outcome: 'converged',
    counts: { created: 1, changed: 0, deleted: 0, unchanged: 0, failed: 0 },
    durationMs: 1200,
    objects: [containerObject('web'), networkObject('backend')],
    ...overrides,
  };
}

describe('project records', () => {
  it('stores the last applied set and reads it back', async () => {
    await recordApply(stateDir, 'shop', input(1000));
    const last = await readLastApplied(stateDir, 'shop');
    expect(last.ok && last.value.objects.map((o) => o.name)).toEqual(['web', 'backend']);
    expect(last.ok && last.value.time).toBe(1000);
  });

  it('keeps the history newest first and capped', async () => {
    for (let i = 0; i < HISTORY_LIMIT + 5; i++)
      await recordApply(stateDir, 'shop', input(i * 10, { objects: undefined }));
    const history = await readHistory(stateDir, 'shop');
    expect(history.ok).toBe(true);
    if (!history.ok) return;
    expect(history.value).toHaveLength(HISTORY_LIMIT);
    expect(history.value[0]?.time).toBe((HISTORY_LIMIT + 4) * 10);
    expect(history.value.at(-1)?.time).toBe(50);
  });

  it('counts a repeatable apply that repeats the newest with nothing to do on it, not as an entry (F275)', async () => {
    const none = { created: 0, changed: 0, deleted: 0, unchanged: 2, failed: 0 };
    await recordApply(stateDir, 'shop', input(1000, { repeatable: true, prune: true }));
    const again = { counts: none, repeatable: true, prune: true };
    for (let i = 1; i <= 12; i++) await recordApply(stateDir, 'shop', input(1000 + i, again));
    const folded = await recordApply(stateDir, 'shop', input(2000, again));
    expect(folded).toMatchObject({ time: 1000, repeats: { count: 13, lastTime: 2000 } });
    // Not repeatable (a rollback): its own entry, whatever it did.
    await recordApply(stateDir, 'shop', input(3000, { counts: none, prune: true }));
    const history = await readHistory(stateDir, 'shop');
    expect(history.ok && history.value.map((e) => [e.time, e.repeats])).toEqual([
      [3000, undefined],
      [1000, { count: 13, lastTime: 2000 }],
    ]);
    const last = await readLastApplied(stateDir, 'shop');
    expect(last.ok && last.value.time).toBe(3000);
  });

  it('keeps every entry of applies recorded at once, and the newest as the last applied set', async () => {
    // berth watch settles two folder changes at the same idle moment; the older may finish last.
    await Promise.all([
      recordApply(stateDir, 'shop', input(2000, { objects: [containerObject('new')] })),
      recordApply(stateDir, 'shop', input(1000, { objects: [containerObject('old')] })),
      recordApply(stateDir, 'shop', input(1500, { objects: undefined })),
    ]);
    const history = await readHistory(stateDir, 'shop');
    expect(history.ok && history.value.map((e) => e.time)).toEqual([2000, 1500, 1000]);
    const last = await readLastApplied(stateDir, 'shop');
    expect(last.ok && last.value.objects.map((o) => o.name)).toEqual(['new']);
  });

  it('never replaces the last good set with an invalid apply', async () => {
    await recordApply(stateDir, 'shop', input(1000));
    await recordApply(stateDir, 'shop', input(2000, { outcome: 'invalid', objects: [] }));
    const last = await readLastApplied(stateDir, 'shop');
    expect(last.ok && last.value.objects).toHaveLength(2);
    const history = await readHistory(stateDir, 'shop');
    expect(history.ok && history.value.map((e) => e.outcome)).toEqual(['invalid', 'converged']);
  });

  it('reports a missing record as a value', async () => {
    const last = await readLastApplied(stateDir, 'ghost');
    expect(last).toMatchObject({ ok: false, problem: { code: 'E_RECORD', reason: 'missing' } });
    const history = await readHistory(stateDir, 'ghost');
    expect(history).toMatchObject({ ok: true, value: [] });
  });

  it('reports a corrupt record with its path instead of crashing', async () => {
    await mkdir(join(stateDir, 'shop'), { recursive: true });
    await writeFile(join(stateDir, 'shop', 'last-applied.json'), '{"version":1,"lastApp');
    await writeFile(
      join(stateDir, 'shop', 'history.json'),
      '{"version":1,"entries":[{"time":"x"}]}',
    );
    const last = await readLastApplied(stateDir, 'shop');
    expect(last).toMatchObject({
      ok: false,
      problem: { reason: 'corrupt', path: join(stateDir, 'shop', 'last-applied.json') },
    });
    const history = await readHistory(stateDir, 'shop');
    expect(history).toMatchObject({
      ok: false,
      problem: { reason: 'corrupt', path: join(stateDir, 'shop', 'history.json') },
    });
  });

  it('leaves no temp files behind', async () => {
    await recordApply(stateDir, 'shop', input(1000));
    await recordApply(stateDir, 'shop', input(2000));
    expect((await readdir(join(stateDir, 'shop'))).sort()).toEqual([
      'history.json',
      'last-applied.json',
    ]);
    const text = await readFile(join(stateDir, 'shop', 'history.json'), 'utf8');
    expect(JSON.parse(text)).toMatchObject({ version: 1, project: 'shop' });
  });

  it('lists recorded projects, sorted', async () => {
    expect(await listRecordedProjects(join(stateDir, 'none'))).toEqual([]);
    await recordApply(stateDir, 'zeta', input(1));
    await recordApply(stateDir, 'alpha', input(1));
    await mkdir(join(stateDir, 'not-a-project'));
    expect(await listRecordedProjects(stateDir)).toEqual(['alpha', 'zeta']);
  });

  it('forgets deleted objects', async () => {
    await recordApply(stateDir, 'shop', input(1000));
    expect(await forgetObjects(stateDir, 'shop', ['Container/web', 'Container/nope'])).toBe(1);
    const last = await readLastApplied(stateDir, 'shop');
    expect(last.ok && last.value.objects.map((o) => o.name)).toEqual(['backend']);
    expect(await forgetObjects(stateDir, 'ghost', ['Container/web'])).toBe(0);
  });

  it('records the git commit of a source in a work tree, and none outside one', async () => {
    const repo = join(stateDir, 'repo');
    await mkdir(repo);
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: repo })
        .toString()
        .trim();
    git('init', '-q');
    await writeFile(join(repo, 'app.yaml'), 'x: 1\n');
    git('add', '.');
    git('commit', '-qm', 'first');
    const head = git('rev-parse', 'HEAD');
    const inRepo = await recordApply(
      stateDir,
      'shop',
      input(1, { sources: [join(repo, 'app.yaml')] }),
    );
    expect(inRepo.commit).toBe(head);
    const outside = await recordApply(stateDir, 'shop', input(2));
    expect(outside.commit).toBeUndefined();
  });
});
