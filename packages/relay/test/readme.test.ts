import { fileURLToPath } from 'node:url';
import { readmeExamples } from '@regevents/registry-harness';
import { expect, it } from 'vitest';

const examples = readmeExamples(fileURLToPath(new URL('..', import.meta.url)));

it('the README has runnable examples', () => {
  expect(examples.length).toBeGreaterThanOrEqual(3);
});

it.each(examples.map((example) => [example.line, example] as const))('the example at line %i prints what its comments say, in order', async (_line, example) => {
  const { printed, expected } = await example.run();
  expect(printed).toEqual(expected);
}, 20_000); // each example is compiled first: seconds on a loaded machine
