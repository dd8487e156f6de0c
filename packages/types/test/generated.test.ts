import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript build script without declarations
import { readGeneratedTypes, renderGeneratedTypes } from '../scripts/openapi-source.mjs';
// @ts-expect-error plain JavaScript build script without declarations
import { readVendorTypes, renderVendorTypes } from '../scripts/vendor-types-source.mjs';

describe('generated types', () => {
  it.each([
    ['src/generated/openapi.ts', 'schemas/openapi.json', readGeneratedTypes, renderGeneratedTypes],
    ['src/generated/vendors.ts', 'schemas/vendors', readVendorTypes, renderVendorTypes],
  ] as const)('%s is what openapi-typescript makes of %s now', async (_file, _from, read: () => Promise<string>, render: () => Promise<string>) => {
    const [committed, fresh] = await Promise.all([read(), render()]);
    expect(committed, 'stale: run `npm run generate -w @regevents/types` and commit the result').toBe(fresh);
  });
});
