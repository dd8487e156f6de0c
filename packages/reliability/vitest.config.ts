import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    // The memory test measures live heap, which needs a full GC on demand.
    execArgv: ['--expose-gc'],
  },
});
