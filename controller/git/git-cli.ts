import { execFile } from 'node:child_process';

/** What one git invocation printed, and how it ended. */
export interface GitResult {
  stdout: string;
  stderr: string;
  /** The process exit code; 0 on success. */
  code: number;
}

export interface GitRunOptions {
  /** Folder git runs in (`-C`); default the process's. */
  cwd?: string;
  /** Give up after this many ms (default 60 s): a hung remote must not hang the controller. */
  timeoutMs?: number;
  /** Extra environment for this call. */
  env?: Record<string, string>;
}

/**
 * Runs the real `git` (Debian's package) with `args` and returns what it printed; never
 * throws for a non-zero exit (the caller decides what the code means). Credentials come
 * from where git users already keep them (ssh agent and keys, credential helpers): berth
 * never passes one itself, and prompts are disabled so a missing credential fails at once
 * instead of waiting for a terminal.
 */
export function runGit(args: string[], options: GitRunOptions = {}): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'buffer',
        env: {
          ...process.env,
          GIT_TERMINAL_PROMPT: '0',
          GIT_OPTIONAL_LOCKS: '0',
          // ssh must never ask a question on a terminal berth does not have.
          GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
          ...options.env,
        },
      },
      (error, stdout, stderr) => {
        const code =
          error === null ? 0 : typeof error.code === 'number' ? error.code : error.killed ? 124 : 1;
        resolve({ stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8'), code });
      },
    );
  });
}

/**
 * A URL with any password or token taken out, for logs, status and errors: credentials never
 * appear there. `https://user:secret@host/x` → `https://user:***@host/x`; over http(s) a user
 * part alone is a token (`https://TOKEN@github.com/x`, GitHub's documented form) →
 * `https://***@host/x`. An ssh user (`ssh://git@host/x`) is a name, not a secret, and stays.
 */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@:]*):([^/@]*)@/i, '$1$2:***@')
    .replace(/^(https?:\/\/)[^/@:]+@/i, '$1***@');
}

/** The last meaningful line git printed on stderr, credentials redacted. */
export function gitErrorLine(result: GitResult): string {
  const lines = result.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const at = lines.findIndex((l) => /^(fatal|error):/.test(l));
  let line = lines[at] ?? lines.at(-1) ?? `exit ${result.code}`;
  // `fatal: unable to connect to HOST:` says why on the next line (`…errno=Connection refused`).
  if (at >= 0 && line.endsWith(':') && lines[at + 1]) line = `${line} ${lines[at + 1]}`;
  return line.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s'"]+/gi, (u) => redactUrl(u));
}
