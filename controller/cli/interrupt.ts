import type { ObjectOutcome } from '../executor/execute.js';
import type { Engine } from '../engine/engine.js';
import { BerthError } from '../errors.js';

/** Exit code of a command stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT = 130;

/**
 * Ctrl-C during a command that changes the engine (DESIGN.md "One project, one writer").
 * While it is installed, SIGINT does not kill the process: it flips `interrupted`, resolves
 * `signalled`, and from then on every new call through an engine it guards rejects with
 * E_INTERRUPTED, so no step starts after Ctrl-C while the engine calls already under way
 * finish (an object is never left half-made by berth giving up on it mid-call). A second
 * Ctrl-C exits at once.
 */
export interface Interrupt {
  /** `engine` behind the interrupt's refusal; remembered in `guarded` (an apply across contexts guards each). */
  guard(engine: Engine, context?: string): Engine;
  /** The engines guarded so far, unguarded, in order, with their context (undefined: berth's own). */
  readonly guarded: readonly GuardedEngine[];
  readonly interrupted: boolean;
  signalled: Promise<void>;
  /**
   * Aborted at the first Ctrl-C or at {@link Interrupt.stop}: waits that can end early (an
   * update's gate) end then; its `reason` is the error they reject with.
   */
  signal: AbortSignal;
  /**
   * The command's deadline passed (`apply --timeout`, F128): as at Ctrl-C, the gate under way
   * ends and every new call through a guarded engine rejects — with `reason` — but the command
   * is not `interrupted`: how it ends and what it prints stay the caller's. Idempotent; the
   * first reason stays.
   */
  stop(reason: BerthError): void;
  /** The reason given to {@link Interrupt.stop}, once it was called. */
  readonly stoppedBy: BerthError | undefined;
  /** Gives SIGINT back to its default (kill the process). */
  dispose(): void;
}

/** An engine an interrupt guards, without the refusal (to undo with after Ctrl-C). */
export interface GuardedEngine {
  engine: Engine;
  context?: string;
}

/** Engine methods that return their result, not a promise (see engine.ts). */
const SYNCHRONOUS = new Set<string | symbol>(['subscribeEvents'] satisfies (keyof Engine)[]);

export function installInterrupt(exit: (code: number) => void): Interrupt {
  let interrupted = false;
  let stoppedBy: BerthError | undefined;
  let resolve: () => void = () => undefined;
  const signalled = new Promise<void>((r) => (resolve = r));
  const abort = new AbortController();
  const guarded: GuardedEngine[] = [];
  const onSignal = () => {
    if (interrupted) exit(INTERRUPTED_EXIT);
    interrupted = true;
    resolve();
    abort.abort(new BerthError('E_INTERRUPTED', 'interrupted (Ctrl-C) during the gate'));
  };
  process.on('SIGINT', onSignal);
  const refusal = () =>
    interrupted || !stoppedBy
      ? new BerthError('E_INTERRUPTED', 'interrupted (Ctrl-C): not started')
      : new BerthError(stoppedBy.code, `${stoppedBy.message}: not started`);
  const guard = (engine: Engine, context?: string): Engine => {
    guarded.push(context === undefined ? { engine } : { engine, context });
    return new Proxy(engine, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (!interrupted && !stoppedBy)
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          // The one synchronous method throws, as its callers expect; a rejected promise in its
          // place went unhandled and ended the process with a stack trace.
          if (SYNCHRONOUS.has(property)) throw refusal();
          return Promise.reject(refusal());
        };
      },
    });
  };
  return {
    guard,
    guarded,
    get interrupted() {
      return interrupted;
    },
    signalled,
    signal: abort.signal,
    stop: (reason) => {
      if (stoppedBy || interrupted) return;
      stoppedBy = reason;
      abort.abort(reason);
    },
    get stoppedBy() {
      return stoppedBy;
    },
    dispose: () => process.off('SIGINT', onSignal),
  };
}

/**
 * What an interrupted apply did, for people: the objects it finished and those it did not.
 * `outcomes` are the executor's; objects it never reached count as not done.
 */
export function interruptedText(
  project: string,
  outcomes: readonly ObjectOutcome[],
  pending: readonly string[],
  seconds: string,
  /** Lines saying what was undone after Ctrl-C (interrupt-undo.ts), if anything. */
  undone: readonly string[] = [],
): string {
  const done = outcomes.filter((o) => o.outcome === 'converged' || o.outcome === 'held');
  const doneKeys = new Set<string>(done.map((o) => o.key));
  const notDone = pending.filter((k) => !doneKeys.has(k));
  const list = (keys: readonly string[]) => (keys.length ? keys.join(', ') : 'none');
  return (
    [
      `interrupted: ${done.length} of ${pending.length} objects done before Ctrl-C`,
      `  done: ${list(done.map((o) => `${o.key} (${o.ops.join(', ') || 'no change'})`))}`,
      `  not done: ${list(notDone)}`,
      ...undone,
      `Project ${project}: interrupted after ${seconds}s; recorded in history as interrupted; apply again to finish`,
    ].join('\n') + '\n'
  );
}
