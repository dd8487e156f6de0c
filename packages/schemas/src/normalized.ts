/**
 * The normalized model's JSON form (schemas/normalized/event.schema.json): what
 * `@regevents/formats` puts in `io.regevents.<kind>` CloudEvents, for consumers that receive
 * those from a broker and want to check them.
 */
import type { NormalizedEventData } from '@regevents/types';
import * as generated from './generated/validators.js';
import { runValidators, withPaths, type ValidationResult } from './validate.js';

export { normalizedEventJsonSchema } from './generated/documents.js';

const validators = { fast: generated.normalizedEventFast, full: generated.normalizedEventFull };

/** Checks that a value is a normalized event in its JSON form; unknown fields are allowed. */
export function validateNormalizedEvent(value: unknown): ValidationResult<NormalizedEventData> {
  return withPaths(runValidators<NormalizedEventData>(validators, value));
}
