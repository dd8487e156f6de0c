import { defineConfig } from 'vitest/config';

// README examples import the built package: the first import can take seconds on a loaded machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    typecheck: { include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    // a worker per core: vitest's default (cores - 1) is one on a 2-core machine, idling a core whenever a package tests alone
    maxWorkers: '100%',
  },
});
