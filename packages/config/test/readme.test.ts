import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runnableExamples, writeExampleModule } from '@regevents/registry-harness';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DIAGNOSTIC_SEVERITY } from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const examples = runnableExamples(readme);

/** Each example's `// expected` comments after console.log calls, compared with what it printed. */
function expectedOutput(code: string): string[] {
  return code
    .split('\n')
    .filter((line) => line.includes('console.log(') && line.includes('); // '))
    .map((line) => (line.split('); // ')[1] ?? '').replace(/\s+\(.*\)$/, '').trim());
}

describe('README', () => {
  afterEach(() => vi.restoreAllMocks());

  it('has runnable examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples.map((example) => [example.line, example] as const))('the example at line %i runs and prints what it says', async (_line, example) => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
    });
    await import(await writeExampleModule(packageDir, example));
    const normalise = (text: string) => text.replace(/[\s'"]/g, '');
    for (const expected of expectedOutput(example.code)) {
      expect(printed.map(normalise), `printed ${JSON.stringify(printed)}`).toContain(normalise(expected));
    }
    // the lint example's diagnostics are listed in comments after the loop
    for (const comment of example.code.split('\n').filter((line) => /^\/\/ \d+:\d+ /.test(line))) {
      const expectedStart = comment.slice(3).replace(/ \.\.\.$/, '');
      expect(printed.some((line) => line.startsWith(expectedStart)), `${expectedStart} in ${JSON.stringify(printed)}`).toBe(true);
    }
  });

  it('documents every diagnostic code with its severity', () => {
    for (const [code, severity] of Object.entries(DIAGNOSTIC_SEVERITY)) {
      expect(readme).toContain(`| \`${code}\` | ${severity} |`);
    }
    const documented = [...readme.matchAll(/^\| `([a-z-]+)` \| (error|warning|info) \|/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual(Object.keys(DIAGNOSTIC_SEVERITY).sort());
  });
});
