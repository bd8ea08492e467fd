import { formatProblem, type Problem } from '../specs/problems.js';
import type { EngineErrorCode } from './engine/engine.js';
import { EngineError } from './engine/engine.js';

/**
 * berth's stable error codes. The CLI maps them to exit codes in exactly one place
 * ({@link exitCodeFor}); everything else raises or returns a {@link BerthError}.
 */
export type BerthErrorCode =
  | 'E_USAGE'
  | 'E_MANIFEST'
  | 'E_UNKNOWN_OBJECT'
  /** The object exists but is in a state the command cannot work with (exec in a paused container). */
  | 'E_STATE'
  | 'E_CONFLICT'
  | 'E_CONVERGE'
  | 'E_LOCKED'
  | 'E_RECORD'
  /** The git source cannot be read: unreachable remote, missing ref or path, bad signature. */
  | 'E_SOURCE'
  /**
   * An object left untouched because a dependency of it did not converge (an outcome's code,
   * never thrown): status says `dependency Container/db failed: not created`, not `create
   * failed` (F663).
   */
  | 'E_DEPENDENCY'
  /** Ctrl-C stopped the command (exit 130, as shells report SIGINT). */
  | 'E_INTERRUPTED'
  /** `apply --prune` would delete objects another source folder applied (issue 19 item 10). */
  | 'E_OTHER_SOURCE'
  /** A declared external network or volume the engine lacks: nothing is changed. */
  | 'E_EXTERNAL'
  /** The verb has no form on this backend (`berth restart --backend swarm`): nothing is done. */
  | 'E_UNSUPPORTED'
  /** A Swarm task's node, whose engine berth cannot locate or reach (exec, cp). */
  | 'E_NODE_UNREACHABLE'
  | 'E_INTERNAL'
  | EngineErrorCode;

export interface ErrorContext {
  /** `Kind/name` of the object concerned. */
  object?: string;
  file?: string;
  line?: number;
  column?: number;
  /** What to do next, shown after the message. */
  hint?: string;
  problems?: Problem[];
  cause?: unknown;
}

export class BerthError extends Error {
  constructor(
    readonly code: BerthErrorCode,
    message: string,
    readonly context: ErrorContext = {},
  ) {
    super(message);
    this.name = 'BerthError';
  }
}

/** DESIGN.md's exit codes: 1 invalid input/unknown object, 2 failed to converge, 4 engine unreachable. */
export function exitCodeFor(code: BerthErrorCode): number {
  switch (code) {
    case 'E_USAGE':
    case 'E_MANIFEST':
    case 'E_UNKNOWN_OBJECT':
    case 'E_STATE':
    case 'E_LOCKED':
    case 'E_OTHER_SOURCE':
    case 'E_EXTERNAL':
    case 'E_UNSUPPORTED':
      return 1;
    case 'E_ENGINE_UNREACHABLE':
    case 'E_NODE_UNREACHABLE':
      return 4;
    case 'E_INTERRUPTED':
      return 130;
    default:
      return 2;
  }
}

/** Turns anything thrown into a BerthError, keeping engine codes. */
export function toBerthError(e: unknown): BerthError {
  if (e instanceof BerthError) return e;
  if (e instanceof EngineError) return new BerthError(e.code, e.message, { cause: e });
  const message = e instanceof Error ? e.message : String(e);
  return new BerthError('E_INTERNAL', message, { cause: e });
}

/** The lines a person reads for an error: problems one per line, then the message and hint. */
export function formatError(error: BerthError): string {
  const lines: string[] = [];
  for (const p of error.context.problems ?? []) lines.push(formatProblem(p));
  // A message that already starts with its object (lists of objects do) is not prefixed twice.
  const object = error.context.object;
  const where = object && !error.message.startsWith(`${object}: `) ? `${object}: ` : '';
  lines.push(`error: ${where}${error.message}`);
  if (error.context.hint) lines.push(`hint: ${error.context.hint}`);
  return lines.join('\n');
}
