import { fileURLToPath } from 'node:url';
import { testReadmeExamples } from '@regevents/registry-harness';
import { expect, it } from 'vitest';

testReadmeExamples(fileURLToPath(new URL('..', import.meta.url)), { it, expect }, { atLeast: 2, title: 'the README has its runnable examples: plan then apply, a policy with diagnostics' });
