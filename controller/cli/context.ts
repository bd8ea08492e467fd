import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../engine/engine.js';
import type { Logger } from '../logger.js';

/** Options every command accepts (DESIGN.md "Common flags"). */
export interface CommonOptions {
  project?: string;
  engine?: string;
  /** `--context NAME`: a Docker context from Docker's context store. */
  context?: string;
  /** `--backend docker|swarm` (default docker; DESIGN.md "Several engines and a cluster engine"). */
  backend?: string;
  logLevel?: string;
  output?: string;
  /** `--env-file FILE` (repeatable) of the verbs that read manifests. */
  envFile?: string[];
}

/**
 * What a command gets to do its work: where to write, how to reach the engine, where
 * records live, and a clock. Tests build their own; nothing here is global.
 */
export interface CliContext {
  cwd: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  /** Colour is for terminals only, and never with NO_COLOR. */
  color: boolean;
  logger: Logger;
  /** The engine, connected on first use (commands that never call it never load its client). */
  engine(): Promise<Engine>;
  /** Engine address as given by --engine (undefined: DOCKER_HOST or the default socket). */
  engineFlag?: string;
  /** `--context NAME` (undefined: DOCKER_HOST, DOCKER_CONTEXT or the current context). */
  contextFlag?: string;
  /** `$XDG_STATE_HOME/berth` (default `~/.local/state/berth`). */
  stateDir: string;
  now(): number;
  env: NodeJS.ProcessEnv;
  /** The arguments berth was run with, after `berth` (named in the project lock). */
  argv?: readonly string[];
  /** `--env-file` files for interpolation (later wins); none: `.env` beside the manifests. */
  envFiles?: string[];
}

export function defaultStateDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'berth');
}

export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

/**
 * Columns a table may use: the terminal's width when stdout is a terminal (80 when it reports
 * none); no limit when stdout is a pipe or a file, so CI logs and `grep` see every REASON in
 * full, as kubectl cuts nothing there (F93).
 */
export function tableWidth(stdout: { isTTY?: boolean; columns?: number }): number {
  if (!stdout.isTTY) return Number.POSITIVE_INFINITY;
  return stdout.columns && stdout.columns > 20 ? stdout.columns : 80;
}
