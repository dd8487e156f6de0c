import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runnableExamples, writeExampleModule } from '@regevents/registry-harness';
import { afterEach, expect, it, vi } from 'vitest';

const examples = runnableExamples(readFileSync(new URL('../README.md', import.meta.url), 'utf8'));

afterEach(() => {
  vi.restoreAllMocks();
});

it('the README has runnable examples', () => {
  expect(examples.length).toBeGreaterThanOrEqual(4);
});

it.each(examples.map((example) => [example.line, example] as const))('the example at line %i prints what its comments say', async (_line, example) => {
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => {
    printed.push(values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join(' '));
  });
  await import(await writeExampleModule(fileURLToPath(new URL('..', import.meta.url)), example));
  const expected = [...example.code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((match) => match[1]);
  expect(printed.length).toBe(expected.length);
  expect(printed).toEqual(expected);
});
