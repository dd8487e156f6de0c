import { writeFile } from 'node:fs/promises';
import { generatedFile, readGeneratedTypes, renderGeneratedTypes } from './openapi-source.mjs';
import { generatedFile as vendorsFile, readVendorTypes, renderVendorTypes } from './vendor-types-source.mjs';

const outputs = [
  { file: generatedFile, render: renderGeneratedTypes, read: readGeneratedTypes, from: 'schemas/openapi.json' },
  { file: vendorsFile, render: renderVendorTypes, read: readVendorTypes, from: 'schemas/vendors and schemas/normalized' },
];
for (const { file, render, read, from } of outputs) {
  const fresh = await render();
  const current = await read().catch(() => '');
  if (fresh !== current) {
    await writeFile(file, fresh);
    console.log(`regenerated ${file.pathname.split('/packages/types/')[1]} from ${from}: commit it`);
  }
}
