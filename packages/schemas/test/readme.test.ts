import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commentedOutputs, printedValues, runExample, runnableExamples } from '@regevents/registry-harness';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const examples = runnableExamples(readFileSync(new URL('../README.md', import.meta.url), 'utf8'));

describe('README examples run and print what their comments say', () => {
  it('has examples', () => expect(examples.length).toBeGreaterThanOrEqual(3));

  it.each(examples.map((block) => [block.line, block] as const))('example at line %i', async (_line, block) => {
    const printed = printedValues(await runExample(packageDir, block));
    for (const expected of commentedOutputs(block.code)) expect(printed).toContainEqual(expected);
  });
});
