import type { Engine } from '../../engine/engine.js';

/** Coalesces bursts of events (a recreate is four or five) into one re-render. */
const SETTLE_MS = 150;

/**
 * Renders once, then again after each burst of the project's engine events, until `signal`
 * aborts or the event stream ends. With `resyncMs`, also every `resyncMs` ms, so a change
 * whose event was missed (the stream connects after the first render) still shows; `render`
 * must then print only what changed. Resolves when done; `render` failures end the watch.
 */
export async function watchAndRender(
  engine: Engine,
  project: string,
  render: () => Promise<void>,
  signal: AbortSignal,
  resyncMs?: number,
): Promise<void> {
  await render();
  if (signal.aborted) return;
  let timer: NodeJS.Timeout | undefined;
  let rendering: Promise<void> = Promise.resolve();
  let failure: unknown;
  let queued = 0;
  const again = () => {
    queued++;
    rendering = rendering
      .then(render)
      .catch((e: unknown) => {
        failure = e;
        subscription.close();
      })
      .finally(() => queued--);
  };
  const subscription = engine.subscribeEvents({ project }, () => {
    clearTimeout(timer);
    timer = setTimeout(again, SETTLE_MS);
  });
  // A slow engine never builds a queue of resyncs: one waits only when none is queued.
  const resync = resyncMs ? setInterval(() => queued === 0 && again(), resyncMs) : undefined;
  const aborted = new Promise<void>((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  await Promise.race([subscription.ended, aborted]);
  clearTimeout(timer);
  clearInterval(resync);
  subscription.close();
  await rendering;
  if (failure) throw failure;
}
