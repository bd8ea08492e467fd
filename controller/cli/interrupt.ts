import type { ObjectOutcome } from '../executor/execute.js';
import type { Engine } from '../engine/engine.js';
import { BerthError } from '../errors.js';
import { ONE_OFF_SIGNALS, type OneOffSignal } from './oneoff-signals.js';

/** Exit code of a command stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT = 130;

/**
 * Ctrl-C during a command that changes the engine (DESIGN.md "One project, one writer").
 * SIGTERM (a cancelled CI job, `timeout`, systemd) and SIGHUP (a closed terminal) take the
 * same path (FINDINGS F180: they used to kill apply mid-update, the service left down under
 * its `-prev` name, nothing recorded, the lock left behind); the command then exits
 * 128 + that signal's number ({@link Interrupt.exitCode}).
 * While it is installed, such a signal does not kill the process: it flips `interrupted`, resolves
 * `signalled`, and from then on every new call through an engine it guards rejects with
 * E_INTERRUPTED, so no step starts after Ctrl-C while the engine calls already under way
 * finish (an object is never left half-made by berth giving up on it mid-call). A second
 * Ctrl-C runs what {@link Interrupt.onAbandon} gave (apply records what exists, F194), for at
 * most {@link ABANDON_MS}, and exits; a third, or a second with nothing given, exits at once.
 */
export interface Interrupt {
  /** `engine` behind the interrupt's refusal; remembered in `guarded` (an apply across contexts guards each). */
  guard(engine: Engine, context?: string): Engine;
  /** The engines guarded so far, unguarded, in order, with their context (undefined: berth's own). */
  readonly guarded: readonly GuardedEngine[];
  readonly interrupted: boolean;
  /** The first signal that interrupted the command, once one did. */
  readonly signalledBy: OneOffSignal | undefined;
  /** 128 + the interrupting signal's number (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP). */
  readonly exitCode: number;
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
  /**
   * What a second signal does before the process exits (the calls under way are abandoned):
   * say and record what exists, so `down` and `status` know it (F194). The last one given wins.
   */
  onAbandon(work: () => Promise<void>): void;
  /** Gives SIGINT, SIGTERM and SIGHUP back to their default (kill the process). */
  dispose(): void;
}

/** How long a second signal's {@link Interrupt.onAbandon} work may take before berth exits. */
export const ABANDON_MS = 5_000;

/** An engine an interrupt guards, without the refusal (to undo with after Ctrl-C). */
export interface GuardedEngine {
  engine: Engine;
  context?: string;
}

/** Engine methods that return their result, not a promise (see engine.ts). */
const SYNCHRONOUS = new Set<string | symbol>(['subscribeEvents'] satisfies (keyof Engine)[]);

export function installInterrupt(exit: (code: number) => void): Interrupt {
  let interrupted = false;
  let signalledBy: OneOffSignal | undefined;
  let stoppedBy: BerthError | undefined;
  let resolve: () => void = () => undefined;
  const signalled = new Promise<void>((r) => (resolve = r));
  const abort = new AbortController();
  const guarded: GuardedEngine[] = [];
  let abandon: (() => Promise<void>) | undefined;
  let abandoning = false;
  const exitCode = () => (signalledBy ? 128 + ONE_OFF_SIGNALS[signalledBy] : INTERRUPTED_EXIT);
  const onSignal = (signal: OneOffSignal) => {
    if (interrupted && (abandoning || !abandon)) return exit(exitCode());
    if (interrupted && abandon) {
      abandoning = true;
      void within(abandon(), ABANDON_MS).finally(() => exit(exitCode()));
      return;
    }
    interrupted = true;
    signalledBy = signal;
    resolve();
    abort.abort(new BerthError('E_INTERRUPTED', `interrupted (${signalLabel(signal)})`));
  };
  const handlers = (Object.keys(ONE_OFF_SIGNALS) as OneOffSignal[]).map((signal) => {
    const handler = () => onSignal(signal);
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  const refusal = () =>
    interrupted || !stoppedBy
      ? new BerthError('E_INTERRUPTED', `interrupted (${signalLabel(signalledBy)}): not started`)
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
    get signalledBy() {
      return signalledBy;
    },
    get exitCode() {
      return exitCode();
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
    onAbandon: (work) => {
      abandon = work;
    },
    dispose: () => handlers.forEach((off) => off()),
  };
}

/** `work` or `ms`, whichever ends first; never rejects. */
async function within(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  try {
    await Promise.race([work.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** How a summary names the signal that interrupted a command: Ctrl-C, SIGTERM, SIGHUP. */
export function signalLabel(signal: OneOffSignal | undefined): string {
  return signal === undefined || signal === 'SIGINT' ? 'Ctrl-C' : signal;
}

/** An object an interrupted apply finished: it converged, or is held as declared. */
export function countsAsDone(o: ObjectOutcome): boolean {
  return o.outcome === 'converged' || o.outcome === 'held';
}
