import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { BerthError } from '../errors.js';
import { writeFileAtomic } from '../records/atomic-file.js';
import { projectRecordDir } from '../records/index.js';

/** Who runs the controller of a project, as written in its lock file. */
export interface LockHolder {
  pid: number;
  project: string;
  engine: string;
  /** Address of the status API (`127.0.0.1:7337`). */
  listen: string;
  /** Unix ms. */
  startedAt: number;
  /**
   * The key a local `berth rollback|hold|release` sends (header `X-Berth-Control`) to have
   * this controller do it; random per controller. The lock file is 0600, so only who may
   * write the project's records can read it. Never printed.
   */
  control?: string;
}

export interface HeldLock {
  path: string;
  release(): Promise<void>;
  /** Rewrites the holder (the API's bound address once it listens), atomically. */
  update(holder: LockHolder): Promise<void>;
}

/** One lock per project and engine: `$stateDir/<project>/watch-<hash of engine address>.lock`. */
export function lockPath(stateDir: string, project: string, engine: string): string {
  const tag = createHash('sha256').update(engine).digest('hex').slice(0, 12);
  return join(projectRecordDir(stateDir, project), `watch-${tag}.lock`);
}

/** True while the process exists (EPERM: it exists, but is someone else's). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the project's controller lock. The file is created exclusively, so two controllers
 * starting at once cannot both win; a lock whose pid is dead is stale and taken over.
 * Rejects with E_LOCKED naming the holder when a live controller has it.
 */
export async function acquireLock(stateDir: string, holder: LockHolder): Promise<HeldLock> {
  const path = lockPath(stateDir, holder.project, holder.engine);
  await mkdir(projectRecordDir(stateDir, holder.project), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(JSON.stringify(holder) + '\n', 'utf8');
      await handle.close();
      return {
        path,
        release: () => releaseLock(path, holder.pid),
        update: (next) => writeFileAtomic(path, JSON.stringify(next) + '\n'),
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const current = await readHolder(path);
    if (current && current.pid !== holder.pid && pidAlive(current.pid)) {
      throw new BerthError(
        'E_LOCKED',
        `project ${holder.project} is already watched on ${holder.engine} by pid ${current.pid} (status API ${current.listen}, since ${new Date(current.startedAt).toISOString()})`,
        { hint: `stop that controller first, or watch under another --project; lock file ${path}` },
      );
    }
    // Stale (its process is gone) or unreadable (a crash mid-write): take it over.
    await unlink(path).catch(() => undefined);
  }
  throw new BerthError(
    'E_LOCKED',
    `cannot take the lock ${path}: another controller keeps taking it`,
  );
}

/** Removes the lock if it is still ours. */
async function releaseLock(path: string, pid: number): Promise<void> {
  const current = await readHolder(path);
  if (current?.pid === pid) await unlink(path).catch(() => undefined);
}

export async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<LockHolder>;
    return typeof value.pid === 'number' && typeof value.listen === 'string'
      ? (value as LockHolder)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The live controllers of a project (any engine), from their lock files. */
export async function liveHolders(stateDir: string, project: string): Promise<LockHolder[]> {
  const dir = projectRecordDir(stateDir, project);
  const names = await readdir(dir).catch(() => [] as string[]);
  const holders = await Promise.all(
    names.filter((n) => /^watch-[0-9a-f]+\.lock$/.test(n)).map((n) => readHolder(join(dir, n))),
  );
  return holders.filter((h): h is LockHolder => h !== undefined && pidAlive(h.pid));
}
