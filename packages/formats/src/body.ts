import { UnrecognizedFormatError } from './errors.js';

export type Body = string | Uint8Array | ArrayBuffer;

/** Largest body accepted by default, in bytes (UTF-16 units for strings). */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function fail(message: string): never {
  throw new UnrecognizedFormatError(`body ${message}`, [{ path: '(body)', message }]);
}

/** A webhook body's text; throws `UnrecognizedFormatError` for anything that is not text within `maxBytes`. */
export function bodyText(body: unknown, maxBytes = DEFAULT_MAX_BYTES): string {
  let text: string;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array || body instanceof ArrayBuffer) {
    const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : body;
    if (bytes.byteLength > maxBytes) fail(`is larger than ${maxBytes} bytes`);
    try {
      text = utf8.decode(bytes);
    } catch {
      return fail('is not valid UTF-8');
    }
  } else return fail('must be a string, Uint8Array or ArrayBuffer');
  if (text.length > maxBytes) fail(`is larger than ${maxBytes} bytes`);
  return text;
}

/** Parses a body's text; throws `UnrecognizedFormatError` for anything that is not JSON. */
export function parseBodyText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return fail(`is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Decodes and parses a webhook body; throws `UnrecognizedFormatError` for anything that is not JSON. */
export function parseBody(body: unknown, maxBytes = DEFAULT_MAX_BYTES): unknown {
  return parseBodyText(bodyText(body, maxBytes));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
