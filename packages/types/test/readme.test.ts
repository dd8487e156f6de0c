import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runExample, runnableExamples } from '@regevents/registry-harness';
import { expect, it } from 'vitest';

it('the README example compiles in the type tests and runs', async () => {
  const [example] = runnableExamples(readFileSync(new URL('../README.md', import.meta.url), 'utf8'));
  if (!example) throw new Error('README has no runnable example');
  expect(await runExample(fileURLToPath(new URL('..', import.meta.url)), example)).toEqual([[[]]]);
});
