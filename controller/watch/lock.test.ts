import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BerthError } from '../errors.js';
import { acquireLock, liveHolders, lockPath } from './lock.js';

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'berth-lock-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

const holder = (pid: number, engine = 'unix:///var/run/docker.sock') => ({
  pid,
  project: 'p',
  engine,
  listen: '127.0.0.1:7337',
  startedAt: 0,
});

/** A pid that certainly belonged to a process that has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid ?? 999_999;
}

describe('the controller lock', () => {
  it('refuses a second holder while the first lives, naming it, and frees on release', async () => {
    const first = await acquireLock(stateDir, holder(process.pid));
    // Another live process (the parent of this one) asking for the same project and engine.
    const error = await acquireLock(stateDir, holder(process.ppid)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BerthError);
    expect((error as BerthError).code).toBe('E_LOCKED');
    expect((error as BerthError).message).toContain(`by pid ${process.pid}`);
    expect((await liveHolders(stateDir, 'p')).map((h) => h.pid)).toEqual([process.pid]);
    await first.release();
    const second = await acquireLock(stateDir, holder(process.ppid));
    await second.release();
  });

  it('takes over a lock whose process is gone, and keeps engines apart', async () => {
    const path = lockPath(stateDir, 'p', 'unix:///var/run/docker.sock');
    await acquireLock(stateDir, holder(process.ppid)).then(() => undefined);
    await writeFile(path, JSON.stringify(holder(deadPid())));
    const taken = await acquireLock(stateDir, holder(process.pid));
    const other = await acquireLock(stateDir, holder(process.ppid, 'tcp://10.0.0.1:2375'));
    expect(taken.path).not.toBe(other.path);
    await Promise.all([taken.release(), other.release()]);
    expect(await liveHolders(stateDir, 'p')).toEqual([]);
  });
});
