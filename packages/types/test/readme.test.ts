import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runnableExamples, writeExampleModule } from '@regevents/registry-harness';
import { expect, it, vi } from 'vitest';

it('the README example compiles in the type tests and runs', async () => {
  const [example] = runnableExamples(readFileSync(new URL('../README.md', import.meta.url), 'utf8'));
  if (!example) throw new Error('README has no runnable example');
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  await import(await writeExampleModule(fileURLToPath(new URL('..', import.meta.url)), example));
  expect(log).toHaveBeenCalledWith([]);
  log.mockRestore();
});
