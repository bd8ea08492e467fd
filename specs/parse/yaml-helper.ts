import { createRequire } from 'node:module';
import type * as WorkerThreads from 'node:worker_threads';
import type { YamlLoadHelper } from './split-load.js';
import {
  CLAIMED,
  DONE,
  OFFERED,
  WITHDRAWN,
  cell,
  type Answer,
  type Offer,
  type YamlWorkerData,
} from './yaml-worker-protocol.js';

/** A claimed text not answered within this long is read here after all (a worker that died). */
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * Starts the worker `workerFile` (yaml-worker.ts, built) and returns a helper that hands it
 * texts (split-load.ts). Start it early: a worker takes ~50 ms to be ready, spent on the
 * other core while this one loads the CLI. `take` blocks this thread (Atomics.wait) only
 * while the worker is reading the text it claimed; a text it has not claimed yet is
 * withdrawn and read here, so a busy machine costs no more than one thread. The worker
 * never keeps the process alive.
 */
export function startYamlHelper(workerFile: string): YamlLoadHelper {
  // Loaded here, not at the top: the CLI's entry imports this file for every verb.
  const threads = createRequire(import.meta.url)('node:worker_threads') as typeof WorkerThreads;
  const state = new SharedArrayBuffer(4);
  const phase = new Int32Array(state);
  const { port1, port2 } = new threads.MessageChannel();
  const workerData: YamlWorkerData = { port: port2, state };
  const worker = new threads.Worker(workerFile, { workerData, transferList: [port2] });
  worker.unref();
  port1.unref();
  let lastId = 0;
  let broken = false;
  worker.on('error', () => (broken = true));

  const take = (id: number): unknown[] | undefined => {
    const offered = cell(id, OFFERED);
    if (Atomics.compareExchange(phase, 0, offered, cell(id, WITHDRAWN)) === offered)
      return undefined;
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    while (Atomics.load(phase, 0) === cell(id, CLAIMED)) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(phase, 0, cell(id, CLAIMED), left) === 'timed-out') break;
    }
    if (Atomics.load(phase, 0) !== cell(id, DONE)) broken = true;
    for (let m = threads.receiveMessageOnPort(port1); m; m = threads.receiveMessageOnPort(port1)) {
      const answer = m.message as Answer;
      if (answer.id === id) return answer.values;
    }
    return undefined;
  };

  return {
    offer(text, file) {
      if (broken) return () => undefined;
      const id = ++lastId;
      Atomics.store(phase, 0, cell(id, OFFERED));
      port1.postMessage({ id, text, file } satisfies Offer);
      return () => take(id);
    },
  };
}
