import { fileURLToPath } from 'node:url';
import { readmeExamples } from '@regevents/registry-harness';
import { expect, it } from 'vitest';

// The repository's README, run as a user's app would run it: a module that imports the packages.
const examples = readmeExamples(fileURLToPath(new URL('..', import.meta.url)), fileURLToPath(new URL('../../../README.md', import.meta.url)));

it('the repository README has a runnable example', () => {
  expect(examples.length).toBeGreaterThanOrEqual(1);
});

it.each(examples.map((example) => [example.line, example] as const))('the repository README example at line %i prints what its comments say', async (_line, example) => {
  const { printed, expected } = await example.run();
  expect(printed).toEqual(expected);
});
