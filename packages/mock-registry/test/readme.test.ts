import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runnableExamples, writeExampleModule } from '@regevents/registry-harness';

// The README's examples are vitest suites: importing them at collection time registers their tests here.
const examples = runnableExamples(readFileSync(new URL('../README.md', import.meta.url), 'utf8'));
if (examples.length === 0) throw new Error('README has no runnable example');
for (const example of examples) {
  await import(await writeExampleModule(fileURLToPath(new URL('..', import.meta.url)), example));
}
