import { it } from 'vitest';
import { testEngine, type TestEngine } from './engine.js';

/**
 * `it`, except on `engine` (BERTH_TEST_ENGINE, test/support/engine.ts): there the test is
 * skipped, and its name in the report says so with `reason` — for a test that cannot pass on
 * that engine by the engine's own design (ENGINE-NOTES.md says which), never to hide a bug.
 */
export function itExceptOn(engine: TestEngine, reason: string): typeof it {
  if (testEngine() !== engine) return it;
  const skip = (name: string, ...rest: unknown[]) =>
    (it.skip as (name: string, ...rest: unknown[]) => void)(
      `${name} [not on ${engine}: ${reason}]`,
      ...rest,
    );
  return skip as unknown as typeof it;
}
