import { execFile } from 'node:child_process';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { IDLE, berth, runLabelled } from './streams-support.js';

const execFileAsync = promisify(execFile);
const project = uniqueProject('sexec');

beforeAll(async () => {
  await runLabelled(project, 'web', IDLE);
  await runLabelled(project, 'frozen', IDLE);
  await docker('pause', `${project}-frozen`);
  await runLabelled(project, 'done', 'exit 0');
  await docker('wait', `${project}-done`);
});

afterAll(async () => {
  await docker('unpause', `${project}-frozen`).catch(() => undefined);
  await cleanupProject(project);
});

describe('berth exec', () => {
  it("returns the command's exit code and keeps stdout and stderr apart", async () => {
    const result = await berth(project, [
      'exec',
      'web',
      '--',
      'sh',
      '-c',
      'echo out; echo err >&2; exit 3',
    ]);
    expect(result).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('passes -u, -w and -e to the command', async () => {
    const result = await berth(project, [
      'exec',
      '-u',
      '1234',
      '-w',
      '/bin',
      '-e',
      'GREETING=hi',
      'web',
      '--',
      'sh',
      '-c',
      'echo $(id -u) $(pwd) $GREETING',
    ]);
    expect(result.stdout).toBe('1234 /bin hi\n');
    expect(result.code).toBe(0);
  });

  it('pipes stdin with -i and ends it at EOF', async () => {
    const stdin = Readable.from([Buffer.from('one\n'), Buffer.from('two\n')]);
    const result = await berth(
      project,
      ['exec', '-i', 'web', '--', 'sh', '-c', 'cat; exit 4'],
      stdin,
    );
    expect(result).toEqual({ code: 4, stdout: 'one\ntwo\n', stderr: '' });
  });

  it('refuses a paused or stopped container, naming its state (exit 1)', async () => {
    const paused = await berth(project, ['exec', 'frozen', '--', 'true']);
    expect(paused.code).toBe(1);
    expect(paused.stderr).toContain(`container ${project}-frozen is paused`);
    const stopped = await berth(project, ['exec', 'done', '--', 'true']);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain(`container ${project}-done is exited`);
  });

  it('refuses an unknown name (exit 1)', async () => {
    const result = await berth(project, ['exec', 'ghost', '--', 'true']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no container ghost');
  });

  it('gives -it a real terminal through a pseudo-terminal (raw mode, exit code)', async () => {
    // script(1) runs berth on a pty: stdin is a TTY, so berth switches it to raw mode and
    // the keys typed (here: a line fed to script) reach the shell in the container.
    const berthCommand = `node bin/berth.mjs exec -p ${project} -it web -- sh -c 'tty; read line; exit $line'`;
    const run = execFileAsync('script', ['-qec', berthCommand, '/dev/null'], {
      cwd: process.cwd(),
      env: { ...process.env, BERTH_LOG_LEVEL: 'silent' },
    });
    run.child.stdin?.write('7\r');
    const result = await run.catch((e: { code: number; stdout: string }) => e);
    expect((result as { code?: number }).code).toBe(7);
    expect(result.stdout).toMatch(/\/dev\/pts\/\d+/);
  });
});
