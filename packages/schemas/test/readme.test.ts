import { fileURLToPath } from 'node:url';
import { testReadmeExamples } from '@regevents/registry-harness';
import { expect, it } from 'vitest';

testReadmeExamples(fileURLToPath(new URL('..', import.meta.url)), { it, expect }, { atLeast: 3 });
