import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // real registries, Redis and worker processes on a busy 2-core CI machine
    testTimeout: 90_000,
    hookTimeout: 60_000,
    typecheck: { include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
