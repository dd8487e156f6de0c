import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // a worker per core: vitest's default (cores - 1) is one on a 2-core machine, idling a core whenever a package tests alone
    maxWorkers: '100%',
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    // The memory test measures live heap, which needs a full GC on demand.
    execArgv: ['--expose-gc'],
  },
});
