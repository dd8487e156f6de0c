import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CodeBlock {
  /** Fence language, e.g. `ts`. */
  lang: string;
  /** Words after the language on the fence line, e.g. `no-run`. */
  meta: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** The fenced code blocks of a Markdown document, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  let open: { lang: string; meta: string; line: number; body: string[] } | undefined;
  for (const [index, text] of lines.entries()) {
    const fence = /^```(\S*)\s*(.*)$/.exec(text);
    if (!open && fence) {
      open = { lang: fence[1] ?? '', meta: fence[2] ?? '', line: index + 1, body: [] };
    } else if (open && /^```\s*$/.test(text)) {
      blocks.push({ lang: open.lang, meta: open.meta, code: open.body.join('\n'), line: open.line });
      open = undefined;
    } else if (open) {
      open.body.push(text);
    }
  }
  return blocks;
}

/** The README's TypeScript examples that are meant to run (a `ts no-run` fence opts out). */
export function runnableExamples(markdown: string): CodeBlock[] {
  return codeBlocks(markdown).filter((block) => (block.lang === 'ts' || block.lang === 'typescript') && !/\bno-run\b/.test(block.meta));
}

/**
 * Writes an example as a module inside the package (so `@regevents/*` imports resolve through
 * the workspace) and returns its path, for the test to `import()`.
 */
export async function writeExampleModule(packageDir: string, block: CodeBlock): Promise<string> {
  const dir = join(packageDir, 'test', '.readme-examples');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `example-line-${block.line}.ts`);
  await writeFile(path, `${block.code}\n`);
  return path;
}

/**
 * What an example says it prints: `console.log(x); // 200` expects `200`. The comment is read as a
 * JavaScript value when it is one, else as text (`// handled once`).
 */
export function commentedOutputs(code: string): unknown[] {
  return [...code.matchAll(/console\.log\(.*\);\s*\/\/ (.+)$/gm)].map((match) => {
    const comment = match[1] as string;
    try {
      return new Function(`return (${comment});`)() as unknown;
    } catch {
      return comment;
    }
  });
}

/**
 * Runs a README example as a module of the package and returns the arguments of every
 * `console.log` call it made, in order (the examples show their results by logging them).
 */
export async function runExample(packageDir: string, block: CodeBlock): Promise<unknown[][]> {
  const calls: unknown[][] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void calls.push(args);
  try {
    await import(await writeExampleModule(packageDir, block));
  } finally {
    console.log = log;
  }
  return calls;
}

/** One value per `console.log` call, as `commentedOutputs` reads the comments: a lone argument as it is, several joined by spaces. */
function printedValues(calls: readonly unknown[][]): unknown[] {
  return calls.map((args) => (args.length === 1 ? args[0] : args.join(' ')));
}

export interface ReadmeExample {
  line: number;
  /** Runs the example; `printed` is one value per `console.log`, `expected` what its comments say, in order. */
  run(): Promise<{ printed: unknown[]; expected: unknown[] }>;
}

/**
 * The runnable examples of the README in `packageDir` (or of `readmePath`, such as the repository's
 * own README, run as modules of `packageDir`), for a test to run and compare one by one.
 */
export function readmeExamples(packageDir: string, readmePath: string = join(packageDir, 'README.md')): ReadmeExample[] {
  return runnableExamples(readFileSync(readmePath, 'utf8')).map((block) => ({
    line: block.line,
    run: async () => ({ printed: printedValues(await runExample(packageDir, block)), expected: commentedOutputs(block.code) }),
  }));
}

/** The parts of a test runner `testReadmeExamples` needs (vitest's `it` and `expect` fit). */
export interface ReadmeTestRunner {
  it: {
    (name: string, body: () => void): void;
    each<T extends readonly unknown[]>(cases: readonly T[]): (name: string, body: (...args: T) => Promise<void>, timeout?: number) => void;
  };
  expect: (value: unknown) => { toBeGreaterThanOrEqual(count: number): void; toEqual(value: unknown): void };
}

export interface ReadmeTestOptions {
  /** What the README must hold at least: its count of runnable examples, and the test's name for them. */
  atLeast: number;
  title?: string;
  readmePath?: string;
  timeoutMs?: number;
}

/** The test every package's README gets: it holds its examples, and each prints what its comments say, in order. */
export function testReadmeExamples(packageDir: string, { it, expect }: ReadmeTestRunner, options: ReadmeTestOptions): void {
  const examples = readmeExamples(packageDir, options.readmePath);
  it(options.title ?? 'the README has runnable examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(options.atLeast);
  });
  it.each(examples.map((example) => [example.line, example] as const))(
    'the example at line %i prints what its comments say, in order',
    async (_line, example) => {
      const { printed, expected } = await example.run();
      expect(printed).toEqual(expected);
    },
    options.timeoutMs
  );
}
