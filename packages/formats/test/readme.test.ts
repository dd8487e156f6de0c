import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commentedOutputs, printedValues, runExample, runnableExamples } from '@regevents/registry-harness';
import { expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const examples = runnableExamples(readFileSync(new URL('../README.md', import.meta.url), 'utf8'));

it('the README has runnable examples', () => {
  expect(examples.length).toBeGreaterThanOrEqual(5);
});

it.each(examples.map((example) => [example.line, example] as const))('the example at line %i prints what its comments say, in order', async (_line, example) => {
  expect(printedValues(await runExample(packageDir, example))).toEqual(commentedOutputs(example.code));
});
