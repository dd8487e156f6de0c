import { fileURLToPath } from 'node:url';
import { testReadmeExamples } from '@regevents/registry-harness';
import { expect, it } from 'vitest';

// The repository's README, run as a user's app would run it: a module that imports the packages.
testReadmeExamples(fileURLToPath(new URL('..', import.meta.url)), { it, expect }, {
  atLeast: 1,
  title: 'the repository README has a runnable example',
  readmePath: fileURLToPath(new URL('../../../README.md', import.meta.url)),
});
