import { writeFile } from 'node:fs/promises';
import { generatedFile, readGeneratedTypes, renderGeneratedTypes } from './openapi-source.mjs';
import { generatedFile as vendorsFile, readVendorTypes, renderVendorTypes } from './vendor-types-source.mjs';

const outputs = [
  { name: 'src/generated/openapi.ts', file: generatedFile, render: renderGeneratedTypes, read: readGeneratedTypes, from: 'schemas/openapi.json' },
  { name: 'src/generated/vendors.ts', file: vendorsFile, render: renderVendorTypes, read: readVendorTypes, from: 'schemas/vendors and schemas/normalized' },
];
for (const { name, file, render, read, from } of outputs) {
  const fresh = await render();
  const current = await read().catch(() => '');
  if (fresh !== current) {
    await writeFile(file, fresh);
    console.log(`regenerated ${name} from ${from}: commit it`);
  }
}
