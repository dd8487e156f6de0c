import { writeFile } from 'node:fs/promises';
import { generatedFile, readVendorTypes, renderVendorTypes } from './vendor-types-source.mjs';

const fresh = await renderVendorTypes();
const current = await readVendorTypes().catch(() => '');
if (fresh !== current) {
  await writeFile(generatedFile, fresh);
  console.log('regenerated src/generated/vendor-types.ts from schemas/vendors: commit it');
}
