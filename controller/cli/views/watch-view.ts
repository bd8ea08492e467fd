import type { Engine } from '../../engine/engine.js';

/** Coalesces bursts of events (a recreate is four or five) into one re-render. */
const SETTLE_MS = 150;

/**
 * Renders once, then again after each burst of the project's engine events, until `signal`
 * aborts or the event stream ends. Resolves when done; `render` failures end the watch.
 */
export async function watchAndRender(
  engine: Engine,
  project: string,
  render: () => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  await render();
  if (signal.aborted) return;
  let timer: NodeJS.Timeout | undefined;
  let rendering: Promise<void> = Promise.resolve();
  let failure: unknown;
  const subscription = engine.subscribeEvents({ project }, () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      rendering = rendering.then(render).catch((e: unknown) => {
        failure = e;
        subscription.close();
      });
    }, SETTLE_MS);
  });
  const aborted = new Promise<void>((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  await Promise.race([subscription.ended, aborted]);
  clearTimeout(timer);
  subscription.close();
  await rendering;
  if (failure) throw failure;
}
