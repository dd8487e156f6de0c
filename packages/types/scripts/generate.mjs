import { writeFile } from 'node:fs/promises';
import { generatedFile, readGeneratedTypes, renderGeneratedTypes } from './openapi-source.mjs';

const fresh = await renderGeneratedTypes();
const current = await readGeneratedTypes().catch(() => '');
if (fresh !== current) {
  await writeFile(generatedFile, fresh);
  console.log('regenerated src/generated/openapi.ts from schemas/openapi.json: commit it');
}
