import pino from 'pino';
import { MemoryEngine } from '../../engine/memory/memory-engine.js';
import { WatchController, type WatchOptions } from '../controller.js';

/** The test image the in-memory engine is given. */
export const MEMORY_IMAGE = 'localhost/berth-busybox:1';

/**
 * For tests: a controller of `project` watching `dir` on a fresh in-memory engine that has
 * the test image; no folder watcher, no resync timer, silent; `overrides` replace any of
 * those options (a failure back-off, say). Not started.
 */
export function memoryWatch(
  project: string,
  dir: string,
  overrides: Partial<Omit<WatchOptions, 'engine'>> = {},
): { engine: MemoryEngine; controller: WatchController } {
  const engine = new MemoryEngine();
  engine.addImage(MEMORY_IMAGE);
  const controller = new WatchController({
    engine,
    project,
    dir,
    allowEmpty: false,
    resyncMs: 0,
    parallel: 2,
    logger: pino({ level: 'silent' }),
    watchFolder: false,
    ...overrides,
  });
  return { engine, controller };
}
