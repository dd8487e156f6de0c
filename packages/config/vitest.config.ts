import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real-registry and property tests: generous limits so a busy 2-core CI machine is not a failure.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    typecheck: { include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
