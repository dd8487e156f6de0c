import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // a worker per core: vitest's default (cores - 1) is one on a 2-core machine, idling a core whenever a package tests alone
    maxWorkers: '100%',
    include: ['test/**/*.test.ts'],
    typecheck: { include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
