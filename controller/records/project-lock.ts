import { randomBytes } from 'node:crypto';
import { readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import { link, mkdir, readFile, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { BerthError } from '../errors.js';
import { projectRecordDir } from './records.js';

/**
 * Who writes to a project right now (DESIGN.md "One project, one writer"), as stored in
 * `$stateDir/<project>/writer.lock`.
 */
export interface LockHolder {
  pid: number;
  /** The verb that holds the lock: `apply`, `delete`, `down`, `rollback`, `watch`, … */
  verb: string;
  /** The command line, for people (`berth apply -f shop`). */
  command: string;
  /** Unix ms when the lock was taken. */
  since: number;
  host: string;
  /** Tells two holders of one pid apart (in-process tests run several commands in one pid). */
  nonce: string;
}

/** A lock this process holds; `release` is idempotent. */
export interface ProjectLock {
  path: string;
  holder: LockHolder;
  release(): Promise<void>;
}

export interface LockRequest {
  verb: string;
  command: string;
  /** How long to wait for the holder to finish, in ms; 0 (the default) fails at once. */
  timeoutMs?: number;
  /** Poll period while waiting, ms. */
  pollMs?: number;
  now?: () => number;
}

const LOCK_FILE = 'writer.lock';
/** A takeover guard older than this was left by a process killed mid-takeover. */
const GUARD_STALE_MS = 5_000;

/** The lock file of a project. */
export function projectLockPath(stateDir: string, project: string): string {
  return join(projectRecordDir(stateDir, project), LOCK_FILE);
}

/**
 * Takes the project's writer lock, waiting up to `timeoutMs` for a live holder to let go.
 * The file appears whole and exclusively (written aside, then hard-linked into place), so two
 * writers starting at once cannot both win. A lock whose holder process is gone (SIGKILL) is
 * taken over, under a takeover guard so two writers never both take over one stale lock.
 * Rejects with E_LOCKED naming the holder (pid, command, since) when the wait runs out.
 */
export async function lockProject(
  stateDir: string,
  project: string,
  request: LockRequest,
): Promise<ProjectLock> {
  const now = request.now ?? Date.now;
  const path = projectLockPath(stateDir, project);
  await mkdir(projectRecordDir(stateDir, project), { recursive: true });
  const holder: LockHolder = {
    pid: process.pid,
    verb: request.verb,
    command: request.command,
    since: now(),
    host: hostname(),
    nonce: randomBytes(8).toString('hex'),
  };
  const deadline = now() + (request.timeoutMs ?? 0);
  for (;;) {
    if (await tryCreate(path, holder)) return heldLock(path, holder);
    const current = await readLockHolder(path);
    if (await clearedStale(path, current)) continue;
    if (now() >= deadline) throw lockedError(project, path, current, request.verb);
    await sleep(request.pollMs ?? 100);
  }
}

/** The holder recorded in a lock file, or undefined when there is none (or it is unreadable). */
export async function readLockHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<LockHolder>;
    return typeof value.pid === 'number' && typeof value.nonce === 'string'
      ? (value as LockHolder)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The live writer of a project, if any (a lock whose process is gone does not count). */
export async function projectWriter(
  stateDir: string,
  project: string,
): Promise<LockHolder | undefined> {
  const holder = await readLockHolder(projectLockPath(stateDir, project));
  return holder && isLive(holder) ? holder : undefined;
}

/** One line naming a holder: `pid 123 (berth apply -f shop) since 2026-…Z`. */
export function describeHolder(holder: LockHolder): string {
  return `pid ${holder.pid} (${holder.command}) since ${new Date(holder.since).toISOString()}`;
}

function lockedError(
  project: string,
  path: string,
  holder: LockHolder | undefined,
  verb: string,
): BerthError {
  if (holder?.verb === 'watch' && verb === 'watch') {
    return new BerthError(
      'E_LOCKED',
      `project ${project} is already watched (${holder.command}) by pid ${holder.pid} since ${new Date(holder.since).toISOString()}`,
      { hint: `stop that controller first, or watch under another --project; lock ${path}` },
    );
  }
  if (holder?.verb === 'watch') {
    return new BerthError(
      'E_LOCKED',
      `project ${project} is owned by a running berth watch, ${describeHolder(holder)}; it applies its ${watchesGit(holder) ? 'git source' : "project's folder"} itself`,
      {
        hint: `${watchesGit(holder) ? 'push a commit to its repository' : 'change the watched folder'} instead, or stop that controller first; lock ${path}`,
      },
    );
  }
  const who = holder ? describeHolder(holder) : 'another berth process';
  const stale = holder
    ? `; if pid ${holder.pid} is not that berth any more (ps -p ${holder.pid}), the lock is stale: rm ${path}`
    : `; a lock no berth holds any more is stale: rm ${path}`;
  return new BerthError('E_LOCKED', `project ${project} is locked by ${who}`, {
    hint: `wait for it to finish, or pass --lock-timeout 2m to wait${stale}`,
  });
}

/** A `berth watch --git …` holder: its source is a repository, not a folder. */
function watchesGit(holder: LockHolder): boolean {
  return /\s--git(\s|=|$)/.test(holder.command);
}

/** Nonces of the locks this process holds now (in-process tests take several in one pid). */
const heldHere = new Set<string>();

/**
 * A holder is live while its process exists (on this host; EPERM means it exists) and is the
 * process that took the lock: a pid started after the lock's `since` was reused by another
 * process after the holder died (SIGKILL, OOM, a reboot), and would block the project for good
 * (FINDINGS F184). A lock this process holds is live as long as it holds it.
 */
function isLive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid && heldHere.has(holder.nonce)) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = processStartMs(holder.pid);
  return started === undefined || started <= holder.since + START_SLACK_MS;
}

/**
 * How much later than the lock's `since` its holder's start may seem: /proc/stat's boot time is
 * whole seconds, and a wall clock stepped after boot (NTP) moves it. A reused pid belongs to a
 * process started well after the lock was taken, usually hours (after a reboot).
 */
const START_SLACK_MS = 60_000;
/** Linux's USER_HZ, the unit of /proc/PID/stat's start time (100 on every architecture). */
const CLOCK_TICKS = 100;

/** When process `pid` started (Unix ms), from /proc; undefined where there is no /proc. */
function processStartMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime); the fields after the `(comm)` in parentheses begin at field 3.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const boot = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1];
    if (!Number.isFinite(ticks) || boot === undefined) return undefined;
    return Number(boot) * 1000 + (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

async function tryCreate(path: string, holder: LockHolder): Promise<boolean> {
  const temp = `${path}.${holder.nonce}.tmp`;
  const body = JSON.stringify(holder) + '\n';
  await writeFile(temp, body, { mode: 0o600 }).catch(async (e: NodeJS.ErrnoException) => {
    // The folder went with the last holder's release (it left it empty): make it again.
    if (e.code !== 'ENOENT') throw e;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, body, { mode: 0o600 });
  });
  try {
    await link(temp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return false;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/**
 * True when the lock is gone by now or was stale and has been dealt with: a holder whose
 * process is gone, or a file nobody can read that has been there for a while.
 */
async function clearedStale(path: string, current: LockHolder | undefined): Promise<boolean> {
  if (current) {
    if (isLive(current)) return false;
    await takeOverStale(path, current);
    return true;
  }
  const age = await ageOf(path);
  if (age === undefined) return true; // released a moment ago
  if (age <= GUARD_STALE_MS) return false;
  await takeOverStale(path, undefined);
  return true;
}

/**
 * Removes a stale lock. Only the writer that holds the guard file may remove it, and only
 * after reading it again under the guard: so a fresh lock that another writer took over a
 * moment ago is never removed by a second one that saw the same stale holder.
 */
async function takeOverStale(path: string, seen: LockHolder | undefined): Promise<void> {
  const guard = `${path}.takeover`;
  const mine = randomBytes(8).toString('hex');
  if (!(await tryCreateGuard(guard, mine))) {
    if (((await ageOf(guard)) ?? 0) > GUARD_STALE_MS) await unlink(guard).catch(() => undefined);
    else await sleep(20);
    return;
  }
  try {
    const again = await readLockHolder(path);
    if (again?.nonce === seen?.nonce && (!again || !isLive(again)))
      await unlink(path).catch(() => undefined);
  } finally {
    if ((await readFile(guard, 'utf8').catch(() => '')) === mine)
      await unlink(guard).catch(() => undefined);
  }
}

async function tryCreateGuard(guard: string, mine: string): Promise<boolean> {
  try {
    await writeFile(guard, mine, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return false;
  }
}

/** ms since the file was last changed; undefined when it is gone. */
async function ageOf(path: string): Promise<number | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info ? Date.now() - info.mtimeMs : undefined;
}

function heldLock(path: string, holder: LockHolder): ProjectLock {
  // A process that exits without releasing (process.exit, an uncaught error) still lets go.
  const onExit = () => releaseSync(path, holder);
  process.on('exit', onExit);
  heldHere.add(holder.nonce);
  let released = false;
  return {
    path,
    holder,
    release: async () => {
      if (released) return;
      released = true;
      heldHere.delete(holder.nonce);
      process.off('exit', onExit);
      if ((await readLockHolder(path))?.nonce === holder.nonce)
        await unlink(path).catch(() => undefined);
      // A project folder that holds nothing but the lock goes with it: a writer that failed
      // before recording anything (the engine unreachable) leaves no empty folder (F29).
      await rmdir(dirname(path)).catch(() => undefined);
    },
  };
}

function releaseSync(path: string, holder: LockHolder): void {
  try {
    const current = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (current.nonce === holder.nonce) unlinkSync(path);
    rmdirSync(dirname(path));
  } catch {
    // Gone already, or unreadable: nothing of ours to remove.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
