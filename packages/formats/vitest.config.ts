import { defineConfig } from 'vitest/config';

// README examples import the built package: the first import can take seconds on a loaded machine.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 60_000, typecheck: { include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' } } });
