import { defineConfig } from 'vitest/config';

// Two tiers: `unit` needs nothing running (the local cloud's unit tests sit beside its modules in local/);
// `cloud` (integration, e2e, browser) shares one local cloud started by the global setup, exactly as
// `npm start` would start it.
export default defineConfig({
  test: {
    projects: [
      // Worker threads and real files in some unit tests: room for a busy 2-core machine (no test asserts a duration).
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'local/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          name: 'cloud',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/browser/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          // The files share one local cloud and its vote totals: one file at a time.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
