export { RegEventsValidationError } from './errors.js';
export type { ValidationIssue } from './issues.js';
export { DEFAULT_MAX_BYTES, parseEnvelope, type ParseOptions } from './parse.js';
export { envelopeSchema, eventSchema } from './standard-schema.js';
export { validateEnvelope, validateEvent, validateParsedEvent, type ValidateOptions, type ValidationResult } from './validate.js';
export { normalizedEventJsonSchema, validateNormalizedEvent } from './normalized.js';
export { validateVendor, VENDOR_SCHEMA_NAMES, type VendorPayloads, type VendorSchemaName } from './vendors.js';

/** `$id`s of the published schemas (files under `@regevents/schemas/distribution/` and `@regevents/schemas/normalized/`). */
export const SCHEMA_IDS = {
  envelope: 'https://regevents.dev/schemas/distribution/envelope.schema.json',
  event: 'https://regevents.dev/schemas/distribution/event.schema.json',
  definitions: 'https://regevents.dev/schemas/distribution/definitions.schema.json',
  normalizedEvent: 'https://regevents.dev/schemas/normalized/event.schema.json',
} as const;
