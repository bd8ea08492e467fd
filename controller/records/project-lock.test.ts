import { spawn, spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BerthError } from '../errors.js';
import { lockProject, projectLockPath, projectWriter, type LockHolder } from './project-lock.js';

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'berth-writer-lock-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

const apply = { verb: 'apply', command: 'berth apply -f shop' };

/** A pid that certainly belonged to a process that has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid ?? 999_999;
}

async function writeHolder(holder: Partial<LockHolder>): Promise<void> {
  const path = projectLockPath(stateDir, 'shop');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(
    path,
    JSON.stringify({ host: hostname(), nonce: 'n', since: Date.now(), ...holder }),
  );
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as BerthError,
  );

describe('the project writer lock', () => {
  it('refuses a second writer at once, naming pid, command and since; frees on release', async () => {
    const first = await lockProject(stateDir, 'shop', { ...apply, now: () => 1_000 });
    const error = await failure(lockProject(stateDir, 'shop', { verb: 'delete', command: 'x' }));
    expect(error).toBeInstanceOf(BerthError);
    expect(error?.code).toBe('E_LOCKED');
    expect(error?.message).toBe(
      `project shop is locked by pid ${process.pid} (berth apply -f shop) since 1970-01-01T00:00:01.000Z`,
    );
    expect((await projectWriter(stateDir, 'shop'))?.verb).toBe('apply');
    await first.release();
    expect(await projectWriter(stateDir, 'shop')).toBeUndefined();
    const second = await lockProject(stateDir, 'shop', apply);
    await second.release();
  });

  it('waits up to the timeout for the holder to let go', async () => {
    const first = await lockProject(stateDir, 'shop', apply);
    setTimeout(() => void first.release(), 300);
    const started = Date.now();
    const second = await lockProject(stateDir, 'shop', { ...apply, timeoutMs: 5_000, pollMs: 20 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await second.release();
    const third = await lockProject(stateDir, 'shop', apply);
    const error = await failure(lockProject(stateDir, 'shop', { ...apply, timeoutMs: 200 }));
    expect(error?.code).toBe('E_LOCKED');
    await third.release();
  });

  it('takes over a lock whose holder process is gone, once among many', async () => {
    await writeHolder({ pid: deadPid(), verb: 'apply', command: 'berth apply' });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => lockProject(stateDir, 'shop', apply)),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(5);
    await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
    // Nothing left behind: no lock, no guard, no temp file, and so no folder.
    expect(await readdir(stateDir)).toEqual([]);
  });

  it('leaves no project folder behind that holds nothing but the lock, and keeps one with records', async () => {
    // F29: an apply that failed before recording (engine unreachable) left an empty folder.
    const first = await lockProject(stateDir, 'shop', apply);
    await first.release();
    expect(await readdir(stateDir)).toEqual([]);
    const second = await lockProject(stateDir, 'shop', apply);
    await writeFile(join(dirname(second.path), 'history.json'), '[]');
    await second.release();
    expect(await readdir(join(stateDir, 'shop'))).toEqual(['history.json']);
  });

  it('says a running berth watch owns the project', async () => {
    await writeHolder({ pid: process.ppid, verb: 'watch', command: 'berth watch shop' });
    const error = await failure(lockProject(stateDir, 'shop', apply));
    expect(error?.message).toMatch(
      new RegExp(`^project shop is owned by a running berth watch, pid ${process.ppid} `),
    );
    const again = await failure(lockProject(stateDir, 'shop', { ...apply, verb: 'watch' }));
    expect(again?.message).toMatch(/^project shop is already watched \(berth watch shop\) by pid/);
  });
});

/**
 * FINDINGS F184: a lock left by a killed berth whose pid now belongs to another process (after
 * a reboot low pids are reused at once) blocked the project for good: only "is the pid alive"
 * was checked. A holder whose process started after the lock's `since` is not that berth.
 */
describe('a stale lock whose pid was reused', () => {
  it('is taken over when the live pid started after the lock was taken', async () => {
    const sleeper = spawn('sleep', ['30']);
    try {
      const pid = sleeper.pid ?? 0;
      // What a berth killed two and a half hours before this process started leaves.
      await writeHolder({ pid, verb: 'apply', command: 'berth apply', since: Date.now() - 9e6 });
      const lock = await lockProject(stateDir, 'shop', apply);
      expect(lock.holder.pid).toBe(process.pid);
      await lock.release();
    } finally {
      sleeper.kill();
    }
  });

  it('is not taken over while that pid is the holder (started before the lock)', async () => {
    await writeHolder({ pid: process.ppid, since: Date.now(), command: 'berth apply -f x' });
    const error = await failure(lockProject(stateDir, 'shop', apply));
    expect(error?.code).toBe('E_LOCKED');
    expect(error?.context.hint).toContain(
      `if pid ${process.ppid} is not that berth any more (ps -p ${process.ppid}), the lock is stale: rm ${projectLockPath(stateDir, 'shop')}`,
    );
  });
});
