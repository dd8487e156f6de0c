import { fileURLToPath } from 'node:url';
import { readmeExamples } from '@regevents/registry-harness';
import { expect, it } from 'vitest';

const examples = readmeExamples(fileURLToPath(new URL('..', import.meta.url)));

it('the README has its runnable examples: plan then apply, a policy with diagnostics', () => {
  expect(examples.length).toBeGreaterThanOrEqual(2);
});

it.each(examples.map((example) => [example.line, example] as const))('the example at line %i prints what its comments say, in order', async (_line, example) => {
  const { printed, expected } = await example.run();
  expect(printed).toEqual(expected);
});
