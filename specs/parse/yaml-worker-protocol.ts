import type { MessagePort } from 'node:worker_threads';

/**
 * How yaml-helper.ts (this thread) and yaml-worker.ts (the worker) agree on one offered text,
 * through one shared Int32 cell holding `id * 4 + phase`: the worker claims an offer only if
 * it is still offered, and the offering thread withdraws it only if it is not yet claimed, so
 * exactly one of them reads it. Ids grow, so a late message about an old offer changes nothing.
 */
export const OFFERED = 0;
export const CLAIMED = 1;
export const DONE = 2;
export const WITHDRAWN = 3;

export const cell = (id: number, phase: number): number => id * 4 + phase;

/**
 * Texts from this size on are split between the threads (split-load.ts); below it, the copy
 * between threads and the wait cost more than half a parse saves.
 */
export const SPLIT_BYTES = 64 * 1024;

/** What the offering thread sends the worker. */
export interface Offer {
  id: number;
  text: string;
  file: string;
}

/** What the worker answers: the documents, or undefined when it could not give them plain. */
export interface Answer {
  id: number;
  values: unknown[] | undefined;
}

/** What the worker is started with. */
export interface YamlWorkerData {
  port: MessagePort;
  state: SharedArrayBuffer;
}
