import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sleep } from './proc.js';

const IDENTITY = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.test',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.test',
};

/** Runs git in `dir` with a fixed identity and no user config; returns stdout. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...IDENTITY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A new repository (branch main) in `dir`. */
export function initRepo(dir: string): void {
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '--quiet', '--initial-branch=main');
}

/** Writes files (path → text) and commits them; returns the commit's sha. */
export function commitFiles(dir: string, subject: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '--quiet', '--allow-empty', '-m', subject);
  return git(dir, 'rev-parse', 'HEAD').trim();
}

/** A `git daemon --verbose` on 127.0.0.1 serving `base`; `requests()` counts the requests it logged. */
export interface GitDaemon {
  port: number;
  requests(): number;
  stop(): void;
}

/** Starts `git daemon` on a free port of 127.0.0.1 serving every repository under `base`. */
export async function startGitDaemon(base: string, portBase: number): Promise<GitDaemon> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = portBase + attempt;
    let log = '';
    const child: ChildProcess = spawn(
      'git',
      [
        'daemon',
        '--verbose',
        '--reuseaddr',
        '--export-all',
        `--base-path=${base}`,
        '--listen=127.0.0.1',
        `--port=${port}`,
        base,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (c: Buffer) => (log += c.toString('utf8')));
    await sleep(400);
    if (child.exitCode !== null) continue;
    return {
      port,
      requests: () => (log.match(/Request upload-pack/g) ?? []).length,
      stop: () => void child.kill(),
    };
  }
  throw new Error('git daemon did not start');
}
