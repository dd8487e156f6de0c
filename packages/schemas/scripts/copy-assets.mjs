// The schemas and the captured fixtures live at the repository root; the package ships copies
// so users can import them (and the CLI can list the fixtures) after `npm install`.
import { cp, rm } from 'node:fs/promises';

for (const folder of ['schemas', 'fixtures']) {
  const from = new URL(`../../../${folder}/`, import.meta.url);
  const to = new URL(`../${folder}/`, import.meta.url);
  await rm(to, { recursive: true, force: true });
  await cp(from, to, { recursive: true, filter: (source) => !source.endsWith('README.md') });
}
