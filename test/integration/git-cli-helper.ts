import { execFile } from 'node:child_process';
import { BERTH_BIN } from './watch-support.js';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Runs the built CLI (watch-support.ts BERTH_BIN) with its own state home and parses its JSON output. */
export function runBerthJson(args: string[], stateHome: string): Promise<HistoryLine[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BERTH_BIN, ...args],
      { cwd: ROOT, env: { ...process.env, XDG_STATE_HOME: stateHome } },
      (error, stdout) => {
        if (error) return reject(error);
        resolve(JSON.parse(stdout) as HistoryLine[]);
      },
    );
  });
}

export interface HistoryLine {
  commit: string | null;
  author: string | null;
  subject: string | null;
  outcome: string;
  counts: { created: number; changed: number; deleted: number };
}
