import { defineConfig } from 'vitest/config';

const shared = {
  globalSetup: ['test/support/global-setup.ts'],
  // Generous: engine tests share 2 cores with the daemon; a hang still fails, a slow machine does not.
  testTimeout: 180_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    // Engine tests share one daemon on a 2-core machine; a few files at a time is fastest.
    maxWorkers: 3,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'main',
          include: [
            'specs/**/*.test.ts',
            'controller/**/*.test.ts',
            'test/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          exclude: ['test/chaos/**', 'node_modules/**'],
        },
      },
      {
        // Tests that restart the engine itself: alone, after everything else has finished.
        test: {
          ...shared,
          name: 'chaos',
          include: ['test/chaos/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
