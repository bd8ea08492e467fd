import type { WorkSource } from './work-reason.js';

/** The periodic resync as a work source: one `resync` every `periodMs`. */
export function resyncTimerSource(periodMs: number): WorkSource {
  let interval: NodeJS.Timeout | undefined;
  return {
    name: 'resync timer',
    start(sink) {
      interval = setInterval(() => void sink.push({ kind: 'resync', trigger: 'timer' }), periodMs);
      // The timer alone never keeps the process alive.
      interval.unref();
      return Promise.resolve();
    },
    stop() {
      clearInterval(interval);
      return Promise.resolve();
    },
  };
}
