import { PassThrough, Writable } from 'node:stream';
import { runCli } from '../../controller/cli/program.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

/** Runs the berth CLI in-process with captured output and its own environment. */
export async function berth(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string } = {},
): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  const code = await runCli(args, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin,
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, BERTH_LOG_LEVEL: 'warn', ...options.env },
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
