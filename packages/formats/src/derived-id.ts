import { sha256 } from '@noble/hashes/sha2.js';
import { InvalidPayloadError, NestingTooDeepError } from './errors.js';
import { escapedLengthsOf, type EscapedLengths } from './escaped-strings.js';

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
type Written = string | typeof GENERAL;

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** Characters JSON.stringify escapes, and surrogates (it escapes lone ones): only strings holding one need its call. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(text)`: most strings in an event (names, digests, URLs) are written as they are.
 * With the lengths of those that may need an escape (see `escapedLengthsOf`), no string is looked at
 * unless it has one of them: that look cost as much as JSON.stringify's own (1-2 ns a character).
 */
function quoted(text: string, escaped: EscapedLengths | undefined): string {
  return (escaped ? escaped.has(text.length) : NEEDS_ESCAPE.test(text)) ? JSON.stringify(text) : `"${text}"`;
}

/** What comes before member `index` of a written object: `{"key":` or `,"key":`. */
function memberPrefix(index: number, key: string, escaped: EscapedLengths | undefined): string {
  return `${index ? ',' : '{'}${quoted(key, escaped)}:`;
}

/**
 * What is known of one key order: `from[i]` is the index in `keys` of the i-th key in code-unit
 * order, and `prefixes[i]` the `memberPrefix` of that key.
 */
interface KeyOrder {
  keys: readonly string[];
  from: readonly number[];
  prefixes: readonly string[];
}

/**
 * Key orders seen, by first key: a vendor sends objects of a few shapes again and again, so an
 * object whose keys come as they came before is written in code-unit order without sorting.
 * Bounded (by keys, and by the characters of the keys written as JSON, which a key of control
 * characters makes up to six times as long) so a stream of bodies with ever new keys cannot grow it,
 * and by orders per first key so that objects sharing one cannot make each look-up a long scan.
 * Not an lru-cache: its look-up wants one string key, which would join every object's keys into a
 * new string before each look-up; orders are found by first key and compared key by key instead.
 */
const knownOrders = new Map<string, KeyOrder[]>();
const ORDERS_PER_FIRST_KEY = 8;
const KNOWN_KEYS_LIMIT = 4096;
const KNOWN_CHARS_LIMIT = 256 * 1024;
let knownKeys = 0;
let knownChars = 0;

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

function remember(order: KeyOrder): void {
  const { keys } = order;
  // a key's prefix is the key written as JSON (never shorter than the key), and V8 keeps a plain
  // key's prefix as a rope over the key itself: the prefixes alone bound what an order holds
  const chars = order.prefixes.reduce((total, prefix) => total + prefix.length, 0);
  if (keys.length > KNOWN_KEYS_LIMIT || chars > KNOWN_CHARS_LIMIT) return;
  if (knownKeys + keys.length > KNOWN_KEYS_LIMIT || knownChars + chars > KNOWN_CHARS_LIMIT) {
    knownOrders.clear();
    knownKeys = knownChars = 0;
  }
  const first = keys[0] as string;
  const known = knownOrders.get(first) ?? [];
  if (known.length >= ORDERS_PER_FIRST_KEY) return;
  if (!known.length) knownOrders.set(first, known);
  known.push(order);
  knownKeys += keys.length;
  knownChars += chars;
}

function keyOrderOf(keys: readonly string[]): KeyOrder {
  for (const order of knownOrders.get(keys[0] as string) ?? []) if (sameKeys(order.keys, keys)) return order;
  const from = keys.map((_, index) => index).sort((a, b) => ((keys[a] as string) < (keys[b] as string) ? -1 : 1));
  const order = { keys, from, prefixes: from.map((keyIndex, index) => memberPrefix(index, keys[keyIndex] as string, undefined)) };
  remember(order);
  return order;
}

function isSorted(keys: readonly string[]): boolean {
  for (let index = 1; index < keys.length; index++) if (!((keys[index - 1] as string) < (keys[index] as string))) return false;
  return true;
}

function writeArray(array: unknown[], escaped: EscapedLengths | undefined): Written {
  if (Object.getPrototypeOf(array) !== Array.prototype || 'toJSON' in array) return GENERAL;
  let written = '[';
  for (let index = 0; index < array.length; index++) {
    const item = write(array[index], escaped);
    if (item === GENERAL) return GENERAL;
    written += index ? `,${item}` : item;
  }
  return `${written}]`;
}

/** Keys already in code-unit order are written as they come; the others in the order remembered for them (see `knownOrders`), sorted once. */
function writeObject(value: object, escaped: EscapedLengths | undefined): Written {
  // JSON.stringify would call a toJSON, enumerable or not, own or inherited; the general walk never does.
  if (!isPlainObject(value) || 'toJSON' in value) return GENERAL;
  const keys = Object.keys(value);
  // One native call instead of a property lookup per key, which is megamorphic across a vendor's many shapes.
  const values = Object.values(value);
  if (values.length !== keys.length) return GENERAL;
  if (!keys.length) return '{}';
  const order = isSorted(keys) ? undefined : keyOrderOf(keys);
  let written = '';
  for (let index = 0; index < keys.length; index++) {
    const member = write(values[order ? (order.from[index] as number) : index], escaped);
    if (member === GENERAL) return GENERAL;
    written += (order ? (order.prefixes[index] as string) : memberPrefix(index, keys[index] as string, escaped)) + member;
  }
  return `${written}}`;
}

/**
 * `value`'s canonical form, written as `generalCanonicalJson` writes it, or GENERAL. JSON-parsed
 * values (plain objects and arrays of strings, numbers, booleans and null) qualify; anything else
 * (undefined, functions, class instances, toJSON) is GENERAL. Written here rather than by
 * JSON.stringify over a copy with sorted keys: building those copies cost more than the writing
 * (profiled on GHCR's 15 KiB body: 16 µs of copies beside 27 µs of JSON.stringify). Strings
 * are quoted as `quoted` says, with `escaped` when the value was parsed from a text that told them.
 */
function write(value: unknown, escaped: EscapedLengths | undefined): Written {
  switch (typeof value) {
    case 'string':
      return quoted(value, escaped);
    case 'number':
      // how JSON.stringify writes a number
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : Array.isArray(value) ? writeArray(value as unknown[], escaped) : writeObject(value, escaped);
    default:
      return GENERAL;
  }
}

/**
 * The canonical JSON form: object keys sorted by UTF-16 code units, no whitespace. JSON-parsed
 * values are written in one walk that skips the general one's sorting and entry arrays (see
 * `write`); anything else takes the general walk. Both give the same bytes for
 * data, which is what it is defined on: values without getters or proxies (a getter may be read
 * twice when the first walk gives up), as `normalize` passes. A value nested deeper than the call stack
 * allows throws `NestingTooDeepError`.
 */
export function canonicalJson(value: unknown): string {
  return canonicalJsonKnowing(value, undefined);
}

/** `canonicalJson`, told which strings may need an escape. */
function canonicalJsonKnowing(value: unknown, escaped: EscapedLengths | undefined): string {
  try {
    const written = write(value, escaped);
    return written === GENERAL ? generalCanonicalJson(value) : written;
  } catch (error) {
    // Both walks recurse, and a body within the size limit can still nest thousands of levels deep.
    // only the call stack's overflow: any other RangeError is not about nesting
    if (error instanceof RangeError && /call stack/i.test(error.message)) throw new NestingTooDeepError('the value nests too deeply to write its canonical form', [{ path: '(body)', message: 'nests too deeply to derive an id' }], { cause: error });
    throw error;
  }
}

/** The event's canonical form, or the payload refused in the format's terms. */
function canonicalEventOf(format: string, event: unknown, hashing: IdHashing): string {
  try {
    return canonicalJsonKnowing(event, hashing.escapedLengths());
  } catch (error) {
    if (error instanceof NestingTooDeepError) throw new InvalidPayloadError(format, error.issues);
    throw error;
  }
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** A SHA-256 digest's first 16 bytes shaped as an RFC 9562 UUIDv8 (version and variant bits set), written in one pass. */
function uuidOf(digest: Uint8Array): string {
  let uuid = '';
  for (let index = 0; index < 16; index++) {
    const byte = digest[index] as number;
    uuid += HEX[index === 6 ? (byte & 0x0f) | 0x80 : index === 8 ? (byte & 0x3f) | 0x80 : byte];
    if (index === 3 || index === 5 || index === 7 || index === 9) uuid += '-';
  }
  return uuid;
}

/** `canonicalJson([format, discriminator, event])`, written around the event's canonical form rather than by copying the array. */
function idPreimage(format: string, discriminator: string, canonicalEvent: string): string {
  return `[${JSON.stringify(format)},${JSON.stringify(discriminator)},${canonicalEvent}]`;
}

/**
 * How one body's ids are hashed. `escapedLengths` are those of its strings that may need an escape,
 * read from the JSON text its events were parsed from (see `escapedLengthsOf`), once, when an id
 * first needs them; undefined: every string is looked at.
 */
export interface IdHashing {
  readonly sha256: Sha256;
  escapedLengths(): EscapedLengths | undefined;
}

/**
 * `sha256`, and `source`, the JSON text the events come from. Every string in them must come from
 * that text or hold nothing JSON escapes (the format names and Harbor's event types `normalize` adds do not).
 */
export function idHashing(sha256: Sha256, source?: string): IdHashing {
  let known: { lengths: EscapedLengths | undefined } | undefined;
  return { sha256, escapedLengths: () => (known ??= { lengths: source === undefined ? undefined : escapedLengthsOf(source) }).lengths };
}

export const portableHashing = idHashing(portableSha256);

/** The id, computed at once: `normalize` uses this, so a derived id costs no turn of the microtask queue. */
export function derivedIdNow(format: string, event: unknown, discriminator = '', hashing: IdHashing = portableHashing): string {
  return uuidOf(hashing.sha256(idPreimage(format, discriminator, canonicalEventOf(format, event, hashing))));
}

/** The ids of one event that fans out into `count`, discriminated by index ("0", "1", ...): the event's canonical form is written once. */
export function derivedIdsNow(format: string, event: unknown, count: number, hashing: IdHashing = portableHashing): string[] {
  const canonicalEvent = canonicalEventOf(format, event, hashing);
  const ids: string[] = [];
  for (let index = 0; index < count; index++) ids.push(uuidOf(hashing.sha256(idPreimage(format, String(index), canonicalEvent))));
  return ids;
}

// Async for its callers' sake (it was WebCrypto); the work is synchronous.
export async function derivedId(format: string, event: unknown, discriminator = '', hash: Sha256 = portableSha256): Promise<string> {
  return derivedIdNow(format, event, discriminator, idHashing(hash));
}
