// Runs berth in-process against the real engine, with a private state folder.
import { Writable } from 'node:stream';
import { runCli } from '../../controller/cli/program.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

/** `berth ARGS…` with XDG_STATE_HOME pointing at `stateHome`; never colour (not a TTY). */
export async function berth(stateHome: string, cwd: string, ...args: string[]): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const env = { ...process.env, XDG_STATE_HOME: stateHome, BERTH_LOG_LEVEL: 'silent' };
  const code = await runCli(args, { stdout, stderr, env, cwd });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
