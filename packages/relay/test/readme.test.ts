import { fileURLToPath } from 'node:url';
import { testReadmeExamples } from '@regevents/registry-harness';
import { expect, it } from 'vitest';

// each example is compiled first: seconds on a loaded machine
testReadmeExamples(fileURLToPath(new URL('..', import.meta.url)), { it, expect }, { atLeast: 3, timeoutMs: 20_000 });
