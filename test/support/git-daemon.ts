import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface GitDaemon {
  /** `git://127.0.0.1:PORT/` — append a repository's folder name under the base path. */
  url: string;
  stop(): Promise<void>;
}

/** A TCP port nothing listens on right now (the kernel's pick on 127.0.0.1). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * `git daemon` serving every repository under `basePath` read-only on 127.0.0.1 (the git://
 * protocol), for builds whose context the engine clones itself: the engine runs on this host,
 * so it reaches the loopback address, and nothing reaches the internet. Resolves once
 * `git ls-remote` answers for `probe` (a repository folder name under `basePath`).
 */
export async function startGitDaemon(basePath: string, probe: string): Promise<GitDaemon> {
  const port = await freePort();
  const child = spawn(
    'git',
    [
      'daemon',
      '--export-all',
      '--reuseaddr',
      '--informative-errors',
      '--listen=127.0.0.1',
      `--port=${port}`,
      `--base-path=${basePath}`,
      basePath,
    ],
    { stdio: 'ignore' },
  );
  const url = `git://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  };
  for (let attempt = 0; attempt < 50; attempt++) {
    const answered = await execFileAsync('git', ['ls-remote', `${url}${probe}`]).then(
      () => true,
      () => false,
    );
    if (answered) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`git daemon on 127.0.0.1:${port} did not answer`);
}
