import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The PC's own zone must never matter: run every test in a zone far from the car park's.
    env: { TZ: 'America/Los_Angeles' },
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
