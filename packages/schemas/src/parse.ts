import type { Envelope } from '@regevents/types';
import { RegEventsValidationError } from './errors.js';
import { toValidationIssue } from './issues.js';
import { envelopeValidatorsFor, runValidators, type ValidateOptions } from './validate.js';

export interface ParseOptions extends ValidateOptions {
  /** Largest body accepted, in bytes (for strings, UTF-16 units). Default 1 MiB. */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function fail(message: string): never {
  throw new RegEventsValidationError([{ path: '(body)', message }]);
}

function decode(body: string | Uint8Array, maxBytes: number): string {
  if (typeof body === 'string') {
    if (body.length > maxBytes) fail(`is larger than ${maxBytes} bytes`);
    return body;
  }
  if (!(body instanceof Uint8Array)) fail('must be a string or a Uint8Array');
  if (body.byteLength > maxBytes) fail(`is larger than ${maxBytes} bytes`);
  try {
    return utf8.decode(body);
  } catch {
    return fail('is not valid UTF-8');
  }
}

/**
 * Parses a notification POST body and validates it. Returns the typed envelope or throws
 * `RegEventsValidationError` listing every failure; it throws nothing else.
 */
export function parseEnvelope(body: string | Uint8Array, options?: ParseOptions): Envelope {
  const text = decode(body, options?.maxBytes ?? DEFAULT_MAX_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    fail(`is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const validators = envelopeValidatorsFor(options);
  if (validators.parsed(value)) return value as Envelope;
  const result = runValidators<Envelope>(validators, value);
  if (!result.ok) throw new RegEventsValidationError(result.issues.map(toValidationIssue));
  return result.value;
}
