import { workerData } from 'node:worker_threads';
import { loadCore } from './core-schema.js';
import {
  CLAIMED,
  DONE,
  OFFERED,
  cell,
  type Answer,
  type Offer,
  type YamlWorkerData,
} from './yaml-worker-protocol.js';

/**
 * The worker thread of yaml-helper.ts (built as its own file, scripts/build.mjs): reads each
 * offered text it manages to claim with js-yaml's core schema and answers with the values.
 * A YAML error, or a scalar that kept its written text, answers undefined: the offering
 * thread then reads the text itself and meets the same error or keeps the text.
 */
const { port, state } = workerData as YamlWorkerData;
const phase = new Int32Array(state);

port.on('message', ({ id, text, file }: Offer) => {
  if (Atomics.compareExchange(phase, 0, cell(id, OFFERED), cell(id, CLAIMED)) !== cell(id, OFFERED))
    return;
  try {
    port.postMessage({ id, values: plainValues(text, file) } satisfies Answer);
  } catch {
    port.postMessage({ id, values: undefined } satisfies Answer);
  }
  Atomics.store(phase, 0, cell(id, DONE));
  Atomics.notify(phase, 0);
});

function plainValues(text: string, file: string): unknown[] | undefined {
  try {
    const loaded = loadCore(text, file);
    return loaded.written ? undefined : loaded.values;
  } catch {
    return undefined;
  }
}
