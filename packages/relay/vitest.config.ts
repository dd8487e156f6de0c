import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // a worker per core: vitest's default (cores - 1) is one on a 2-core machine, idling a core whenever a package tests alone
    maxWorkers: '100%',
    // with a file on each core of a busy 2-core machine, a first import of the built packages can take seconds: 5 s (the default) is too little
    testTimeout: 60_000,
    hookTimeout: 60_000,
    include: ['test/**/*.test.ts'],
    typecheck: { include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
