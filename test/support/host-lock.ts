import { spawn } from 'node:child_process';

/**
 * Takes an exclusive lock on `path` for the whole host (flock(1)) and resolves once it is
 * held; the returned function gives it back. The lock is held by a small `flock` child whose
 * stdin this process keeps open, so it is given back by the kernel when this process ends in
 * any way (a killed test worker never leaves it taken). Waits as long as another holder keeps
 * it: the caller's timeout bounds the wait.
 */
export async function holdHostLock(path: string): Promise<() => Promise<void>> {
  const holder = spawn('flock', [path, 'sh', '-c', 'echo held; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    holder.stdout.once('data', () => resolve());
    holder.once('error', reject);
    holder.once('exit', (code) => reject(new Error(`flock ${path} ended (${code}) unheld`)));
  });
  return async () => {
    if (holder.exitCode !== null) return;
    const ended = new Promise((resolve) => holder.once('exit', resolve));
    holder.stdin.end();
    await ended;
  };
}
