import { fileURLToPath } from 'node:url';
import { readmeExamples } from '@regevents/registry-harness';
import { expect, it } from 'vitest';
import { REPLICATION_USER_AGENT } from '../src/index.js';
import packageJson from '../package.json' with { type: 'json' };

const examples = readmeExamples(fileURLToPath(new URL('..', import.meta.url)));

it('the README has its runnable example', () => {
  expect(examples.length).toBeGreaterThanOrEqual(1);
});

it.each(examples.map((example) => [example.line, example] as const))('the example at line %i prints what its comments say, in order', async (_line, example) => {
  const { printed, expected } = await example.run();
  expect(printed).toEqual(expected);
});

it('the User-Agent names the package version', () => {
  expect(REPLICATION_USER_AGENT).toBe(`regevents-replication/${packageJson.version}`);
});
