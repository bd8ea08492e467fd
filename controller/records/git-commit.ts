import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The commit checked out in the git work tree holding `path` (a file or folder), or
 * undefined when there is none: not a work tree, no commit yet, or no git installed.
 * Never throws; gives up after a few seconds so a hung git never blocks an apply record.
 */
export async function gitCommitOf(path: string): Promise<string | undefined> {
  const folder = await folderOf(path);
  if (!folder) return undefined;
  return new Promise((resolve) => {
    execFile(
      'git',
      ['rev-parse', '--verify', '--quiet', 'HEAD'],
      { cwd: folder, timeout: 5_000, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } },
      (error, stdout) => {
        const commit = String(stdout).trim();
        resolve(!error && /^[0-9a-f]{40,64}$/.test(commit) ? commit : undefined);
      },
    );
  });
}

async function folderOf(path: string): Promise<string | undefined> {
  try {
    return (await stat(path)).isDirectory() ? path : dirname(path);
  } catch {
    return undefined;
  }
}
