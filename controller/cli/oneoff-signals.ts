/**
 * The signals that end `berth run --rm` together with its one-off container: Ctrl-C, a
 * cancelled CI job (SIGTERM), a closed terminal (SIGHUP). Numbers as on Linux, for the
 * exit code 128 + n that shells report.
 */
export const ONE_OFF_SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

export type OneOffSignal = keyof typeof ONE_OFF_SIGNALS;

/** What `watchSignals` hands back while it is installed. */
export interface SignalWatch {
  /** The first signal seen, if any. */
  readonly signalled: OneOffSignal | undefined;
  /** Resolves with 128 + the first signal's number once its cleanup has finished. */
  readonly ended: Promise<number>;
  /** Gives the signals back to their default (end the process). */
  dispose(): void;
}

/**
 * Installs handlers for {@link ONE_OFF_SIGNALS}: the first runs `cleanup` (a graceful
 * stop, say) and then resolves `ended`; a second one runs `hurry` (a forced removal) and
 * resolves `ended` once that is done, as a second Ctrl-C does in docker. Cleanup failures
 * are the cleanup's to report; `ended` resolves regardless.
 */
export function watchSignals(
  cleanup: (signal: OneOffSignal) => Promise<void>,
  hurry: () => Promise<void>,
): SignalWatch {
  let signalled: OneOffSignal | undefined;
  let finish: (code: number) => void = () => undefined;
  const ended = new Promise<number>((resolve) => (finish = resolve));
  const handlers = Object.keys(ONE_OFF_SIGNALS).map((name) => {
    const signal = name as OneOffSignal;
    const handler = () => {
      const first = signalled;
      if (first) {
        void hurry().finally(() => finish(128 + ONE_OFF_SIGNALS[first]));
        return;
      }
      signalled = signal;
      void cleanup(signal).finally(() => finish(128 + ONE_OFF_SIGNALS[signal]));
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return {
    get signalled() {
      return signalled;
    },
    ended,
    dispose: () => handlers.forEach((off) => off()),
  };
}
