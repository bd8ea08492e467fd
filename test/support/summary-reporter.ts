import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends every run with a plain `N passed, N failed` line, so a run that executed no
 * test is visible to anyone (and to CI) reading the last line.
 *
 * A file whose setup failed (a `beforeAll` that threw, an import error) leaves its tests
 * "skipped" by vitest; they did not pass, so they count as failed here, and such a file
 * with no test counted at all counts as one failure.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      const setupFailed = module.state() === 'failed';
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed' || setupFailed) failedHere++;
        else skipped++;
      }
      failed += setupFailed ? Math.max(1, failedHere) : failedHere;
    }
    const tail = skipped > 0 ? `, ${skipped} skipped` : '';
    process.stdout.write(`\n${passed} passed, ${failed} failed${tail}\n`);
  }
}
