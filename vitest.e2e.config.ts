import { defineConfig } from 'vitest/config';

/** The whole workflow in Chromium against a real server process (see tests/e2e). */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    // one server and one browser at a time: the machine has two cores
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 240_000,
    reporters: ['default'],
  },
});
