import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript build script without declarations
import { readGeneratedTypes, renderGeneratedTypes } from '../scripts/openapi-source.mjs';

describe('generated types', () => {
  it('src/generated/openapi.ts is what openapi-typescript makes of schemas/ now', async () => {
    const [committed, fresh] = await Promise.all([readGeneratedTypes(), renderGeneratedTypes()]);
    expect(committed, 'stale: run `npm run generate -w @regevents/types` and commit the result').toBe(fresh);
  });
});
