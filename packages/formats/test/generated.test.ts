import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript build script without declarations
import { readVendorTypes, renderVendorTypes } from '../scripts/vendor-types-source.mjs';

describe('generated vendor types', () => {
  it('src/generated/vendor-types.ts is what openapi-typescript makes of schemas/vendors now', async () => {
    const [committed, fresh] = await Promise.all([readVendorTypes(), renderVendorTypes()]);
    expect(committed, 'stale: run `npm run generate -w @regevents/formats` and commit the result').toBe(fresh);
  });
});
