import type { AcrEvent, GarPayload, HarborPayload } from '@regevents/types';
import { describe, expectTypeOf, it } from 'vitest';
import { validateVendor, type VendorSchemaName } from '../src/index.js';

describe('validateVendor types', () => {
  it('types the value by the schema named', () => {
    const harbor = validateVendor('harbor', {});
    if (harbor.ok) expectTypeOf(harbor.value).toEqualTypeOf<HarborPayload>();
    const acr = validateVendor('acr', {});
    if (acr.ok) expectTypeOf(acr.value).toEqualTypeOf<AcrEvent>();
    const gar = validateVendor('gar', {});
    if (gar.ok) expectTypeOf(gar.value).toEqualTypeOf<GarPayload>();
    if (!gar.ok) expectTypeOf(gar.issues[0]?.path).toEqualTypeOf<string | undefined>();
  });

  it('takes only the names of the vendor schemas', () => {
    expectTypeOf<VendorSchemaName>().toEqualTypeOf<'harbor' | 'harbor-cloudevents' | 'harbor-policy' | 'gitlab' | 'acr' | 'dockerhub' | 'quay' | 'ghcr' | 'gar' | 'ecr' | 'artifactory'>();
    // @ts-expect-error not a vendor schema
    validateVendor('nexus', {});
  });
});
