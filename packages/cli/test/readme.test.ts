import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runExample, runnableExamples } from '@regevents/registry-harness';
import { expect, it } from 'vitest';

it('the README example runs and prints what its comment says', async () => {
  const [example] = runnableExamples(readFileSync(new URL('../README.md', import.meta.url), 'utf8'));
  if (!example) throw new Error('README has no runnable example');
  const calls = await runExample(fileURLToPath(new URL('..', import.meta.url)), example);
  expect(calls).toEqual([[1, '  events[0].id: is required']]);
});
