import { validateVendor, type VendorPayloads, type VendorSchemaName } from '@regevents/schemas';
import { InvalidPayloadError } from './errors.js';

/** The payload, typed by its vendor schema, or an `InvalidPayloadError` listing every problem. */
export function assertVendor<N extends VendorSchemaName>(name: N, value: unknown): VendorPayloads[N] {
  const result = validateVendor(name, value);
  if (!result.ok) throw new InvalidPayloadError(name, result.issues);
  return result.value;
}
