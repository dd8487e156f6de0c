import { fileURLToPath } from 'node:url';
import { testReadmeExamples } from '@regevents/registry-harness';
import { expect, it } from 'vitest';
import { REPLICATION_USER_AGENT } from '../src/index.js';
import packageJson from '../package.json' with { type: 'json' };

testReadmeExamples(fileURLToPath(new URL('..', import.meta.url)), { it, expect }, { atLeast: 1, title: 'the README has its runnable example' });

it('the User-Agent names the package version', () => {
  expect(REPLICATION_USER_AGENT).toBe(`regevents-replication/${packageJson.version}`);
});
