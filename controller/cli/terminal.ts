import type { ExecSession } from '../engine/engine-streams.js';
import type { CliContext } from './context.js';

/** berth's stdin as a terminal may offer it. */
export type TtyIn = NodeJS.ReadableStream & {
  isTTY?: boolean;
  setRawMode?: (raw: boolean) => unknown;
};
/** berth's stdout as a terminal may offer it. */
export type TtyOut = CliContext['stdout'] & { rows?: number };

/**
 * Sends stdin to the command; EOF closes the command's stdin. With `-t` on a terminal the
 * terminal goes raw, so keys (Ctrl-C, Ctrl-D) reach the command rather than berth.
 */
export function pipeInput(stdin: TtyIn, session: ExecSession, tty: boolean): () => void {
  const raw = tty && stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  if (raw) stdin.setRawMode!(true);
  const onData = (chunk: Buffer | string) => session.write(chunk);
  const onEnd = () => session.endInput();
  stdin.on('data', onData);
  stdin.on('end', onEnd);
  stdin.resume();
  return () => {
    stdin.off('data', onData);
    stdin.off('end', onEnd);
    // Let the process end although stdin could still deliver.
    stdin.pause();
    if (raw) stdin.setRawMode!(false);
  };
}

/** Gives the command the terminal's size now and after every SIGWINCH. */
export function followWindowSize(stdout: TtyOut, session: ExecSession): () => void {
  if (!stdout.isTTY) return () => {};
  const resize = () => {
    if (stdout.rows && stdout.columns) session.resize(stdout.rows, stdout.columns).catch(() => {});
  };
  resize();
  process.on('SIGWINCH', resize);
  return () => process.off('SIGWINCH', resize);
}
