// Runs berth in-process against the real engine, with a private state folder.
import { berth as run, type CliRun } from '../support/cli.js';

export type { CliRun };

/** `berth ARGS…` with XDG_STATE_HOME pointing at `stateHome`; never colour (not a TTY). */
export function berth(stateHome: string, cwd: string, ...args: string[]): Promise<CliRun> {
  return run(args, { cwd, env: { XDG_STATE_HOME: stateHome, BERTH_LOG_LEVEL: 'silent' } });
}
