import { describe, expect, it } from 'vitest';
import { codeBlocks, runnableExamples } from '../src/index.js';

const markdown = ['# T', '```ts', 'one();', '```', 'text', '```ts no-run', 'two();', '```', '```sh', 'npm ci', '```'].join('\n');

describe('README code blocks', () => {
  it('finds fenced blocks with language, meta and line', () => {
    expect(codeBlocks(markdown)).toEqual([
      { lang: 'ts', meta: '', code: 'one();', line: 2 },
      { lang: 'ts', meta: 'no-run', code: 'two();', line: 6 },
      { lang: 'sh', meta: '', code: 'npm ci', line: 9 },
    ]);
  });

  it('runs only TypeScript blocks not marked no-run', () => {
    expect(runnableExamples(markdown).map((b) => b.code)).toEqual(['one();']);
  });
});
