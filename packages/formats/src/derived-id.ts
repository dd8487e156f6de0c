import { sha256 } from '@noble/hashes/sha2.js';

/**
 * Stable ids for vendor events that carry none: SHA-256 over a canonical JSON form (object keys
 * sorted, no whitespace) of the format name, the event and a discriminator (for events that fan
 * out into several, e.g. one per Quay tag). Same input, same id, on every runtime, so
 * deduplication works across redeliveries. Shaped as an RFC 9562 UUIDv8.
 *
 * The hash is synchronous (@noble/hashes, plain JS on every runtime): WebCrypto's `subtle.digest`
 * is asynchronous, and on Node each call waits on the thread pool, which cost more than
 * everything else `normalize` does (profiled: Harbor spent 45% idle and 19% in WebCrypto glue).
 */
const encoder = new TextEncoder();

/** SHA-256 of a string's UTF-8 bytes (lone surrogates as U+FFFD, as TextEncoder writes them). */
export type Sha256 = (text: string) => Uint8Array;

/** Plain JS, on every runtime; `@regevents/formats/node` passes node:crypto's native one instead. */
export const portableSha256: Sha256 = (text) => sha256(encoder.encode(text));

/** The canonical form by definition: every value walked in JavaScript. */
export function generalCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(generalCanonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${generalCanonicalJson(item)}`).join(',')}}`;
}

/** Marks a value only `generalCanonicalJson` writes canonically. */
const GENERAL = Symbol('general');

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * `value` rebuilt so that JSON.stringify writes its canonical form, or GENERAL. JSON-parsed
 * values (plain objects and arrays of strings, numbers, booleans and null) qualify: JSON.stringify
 * writes them as `generalCanonicalJson` does once each object's keys come in code-unit order, so
 * objects whose keys do not are copied in that order. Anything else (undefined, functions,
 * class instances, toJSON, out-of-order integer-like keys, which no insertion order can fix)
 * is GENERAL. Sorted objects are not copied, so a typical payload costs a walk and no allocation.
 */
function inCanonicalOrder(value: unknown): unknown {
  if (typeof value !== 'object') return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : GENERAL;
  if (value === null) return value;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype || 'toJSON' in value) return GENERAL;
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const ordered = item === undefined ? GENERAL : inCanonicalOrder(item);
      if (ordered === GENERAL) return GENERAL;
      if (ordered !== item) copy ??= value.slice(0, index);
      if (copy) copy.push(ordered);
    }
    return copy ?? value;
  }
  if (!isPlainObject(value)) return GENERAL;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  let sorted = true;
  for (let index = 1; index < keys.length && sorted; index++) sorted = (keys[index - 1] as string) < (keys[index] as string);
  if (!sorted && keys.some((key) => ARRAY_INDEX.test(key))) return GENERAL;
  let children: Map<string, unknown> | undefined;
  for (const key of keys) {
    const item = object[key];
    const child = item === undefined ? GENERAL : inCanonicalOrder(item);
    if (child === GENERAL) return GENERAL;
    if (child !== item) (children ??= new Map()).set(key, child);
  }
  if (sorted && !children) return value;
  const copy: Record<string, unknown> = {};
  for (const key of sorted ? keys : [...keys].sort()) {
    const child = children?.has(key) ? children.get(key) : object[key];
    // Assigning `__proto__` would set the prototype: define it as the own property it was.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: child, enumerable: true, writable: true, configurable: true });
    else copy[key] = child;
  }
  return copy;
}

/**
 * The canonical JSON form: object keys sorted by UTF-16 code units, no whitespace. JSON.stringify
 * writes it natively for JSON-parsed values (see `inCanonicalOrder`), several times faster than
 * walking them in JavaScript; anything else takes the general walk. Both give the same bytes.
 */
export function canonicalJson(value: unknown): string {
  const ordered = inCanonicalOrder(value);
  return ordered === GENERAL ? generalCanonicalJson(value) : JSON.stringify(ordered);
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** The id, computed at once: `normalize` uses this, so a derived id costs no turn of the microtask queue. */
export function derivedIdNow(format: string, event: unknown, discriminator = '', hash: Sha256 = portableSha256): string {
  const bytes = hash(canonicalJson([format, discriminator, event])).subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  let hex = '';
  for (const byte of bytes) hex += HEX[byte];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Async for its callers' sake (it was WebCrypto); the work is synchronous.
export async function derivedId(format: string, event: unknown, discriminator = '', hash: Sha256 = portableSha256): Promise<string> {
  return derivedIdNow(format, event, discriminator, hash);
}
