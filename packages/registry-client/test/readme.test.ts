import { fileURLToPath } from 'node:url';
import { testReadmeExamples } from '@regevents/registry-harness';
import { expect, it } from 'vitest';

testReadmeExamples(fileURLToPath(new URL('..', import.meta.url)), { it, expect }, { atLeast: 5, title: 'the README has its runnable examples: copy, list every tag, delete by digest, references, a stoppable wait' });
