import { fileURLToPath } from 'node:url';
import { readmeExamples } from '@regevents/registry-harness';
import { expect, it } from 'vitest';

const examples = readmeExamples(fileURLToPath(new URL('..', import.meta.url)));

it('the README has its runnable examples: copy, list every tag, delete by digest, references', () => {
  expect(examples.length).toBeGreaterThanOrEqual(4);
});

it.each(examples.map((example) => [example.line, example] as const))('the example at line %i prints what its comments say, in order', async (_line, example) => {
  const { printed, expected } = await example.run();
  expect(printed).toEqual(expected);
});
