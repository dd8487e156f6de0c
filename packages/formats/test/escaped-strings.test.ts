import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generalCanonicalJson } from '../src/derived-id.js';
import { escapedLengthsOf } from '../src/escaped-strings.js';
import { normalize } from '../src/index.js';
import { normalize as nodeNormalize } from '../src/node/index.js';
import { vendorFixtures } from './fixtures.js';

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '/': '\\/' };
const unicodeEscape = (unit: number) => `\\u${unit.toString(16).padStart(4, '0')}`;

/** A string token for `text` as any JSON writer may spell it: needed escapes short or as \u, others now and then, `/` as `\/`, lone surrogates raw or not. */
function token(text: string, g: fc.GeneratorValue): string {
  let written = '"';
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    const char = text[index] as string;
    const pairs = unit >= 0xd800 && unit < 0xdc00 && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00;
    const lone = (unit & 0xf800) === 0xd800 && !pairs;
    // a lone surrogate raw now and then: JSON.parse takes it, JSON.stringify escapes it
    const needed = char === '"' || char === '\\' || unit < 0x20 || (lone && g(fc.boolean));
    if (pairs) written += g(fc.boolean) ? `${unicodeEscape(unit)}${unicodeEscape(text.charCodeAt(++index))}` : `${char}${text[++index] as string}`;
    else if (needed || g(fc.nat, { max: 7 }) === 0) written += SHORT_ESCAPES[char] && g(fc.boolean) ? SHORT_ESCAPES[char] : unicodeEscape(unit);
    else written += char;
  }
  return `${written}"`;
}

/** `value` written as JSON text with random escapes and whitespace. */
function writeJson(value: unknown, g: fc.GeneratorValue): string {
  const space = () => ['', ' ', '\n   '][g(fc.nat, { max: 2 })] as string;
  if (typeof value === 'string') return token(value, g);
  if (Array.isArray(value)) return `[${value.map((item) => space() + writeJson(item, g)).join(',')}${space()}]`;
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([key, item]) => `${space()}${token(key, g)}${space()}:${space()}${writeJson(item, g)}`).join(',')}${space()}}`;
  return JSON.stringify(value);
}

/** Characters around which escapes go wrong (quotes, backslashes, control characters, surrogates, lone or paired) more often than any code unit would give them. */
const trickyUnit = fc.oneof(fc.constantFrom('"', '\\', '/', '\n', '\u0001', '\ud800', '\udc00', 'a', '\u2028', '\u{1f600}'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));

function stringsOf(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') found.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, found);
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) {
      found.push(key);
      stringsOf(item, found);
    }
  return found;
}

describe('escapedLengthsOf: which strings of a JSON text may need an escape', () => {
  it('names the decoded lengths of the tokens holding a backslash, keys included', () => {
    expect([...(escapedLengthsOf('{"a\\"b": ["x\\\\", "\\u0041", "plain"], "c": "\\\\\\"" }') ?? [])].sort()).toEqual([1, 2, 3]);
    expect([...(escapedLengthsOf('{"a": "no escapes", "b": [1, true, null]}') ?? [])]).toEqual([]);
  });

  it('knows nothing of a text with a lone surrogate', () => {
    expect(escapedLengthsOf('{"a": "\ud800"}')).toBeUndefined();
    expect(escapedLengthsOf('{"a": "\ud83d\ude00"}')).toEqual(new Set());
  });

  it('every string of another length is one JSON.stringify writes unescaped', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: trickyUnit }), fc.gen(), (value, g) => {
        const text = writeJson(value, g);
        const lengths = escapedLengthsOf(text);
        // unknown only where a lone surrogate was written raw
        if (lengths === undefined) return /(?:[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/.test(text);
        return stringsOf(JSON.parse(text)).every((string) => lengths.has(string.length) || JSON.stringify(string) === `"${string}"`);
      }),
      { numRuns: 2000 },
    );
  });
});

/** The id as the canonical form's definition and node:crypto give it, computed apart from the code under test. */
function definedId(format: string, event: unknown, discriminator: string): string {
  const digest = createHash('sha256').update(generalCanonicalJson([format, discriminator, event])).digest();
  digest[6] = ((digest[6] as number) & 0x0f) | 0x80;
  digest[8] = ((digest[8] as number) & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

describe('normalize derives the defined ids from bodies written with any escapes', () => {
  const strings = fc.string({ unit: trickyUnit, maxLength: 40 });
  // fast-check offers these keys on purpose; every format refuses them (prototype pollution), which other tests cover
  const keys = strings.filter((key) => key !== '__proto__' && key !== 'constructor' && key !== 'prototype');
  it.each([
    ['harbor', 'harbor/push-artifact', '0'],
    ['ghcr', 'ghcr/package-published', ''],
  ] as const)('%s', async (format, name, discriminator) => {
    const fixture = JSON.parse(vendorFixtures().find((candidate) => candidate.name === name)!.text) as Record<string, unknown>;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(keys, fc.oneof(strings, fc.array(strings, { maxLength: 3 })), { maxKeys: 4 }), fc.gen(), async (extra, g) => {
        // extra members in and around the payload, since escapes and key orders matter wherever they are
        const value = { ...extra, ...fixture, extra };
        const text = writeJson(value, g);
        // bytes carry no lone surrogate: U+FFFD takes its place
        const bytes = new TextEncoder().encode(text);
        for (const [body, parsed] of [[text, JSON.parse(text)], [bytes, JSON.parse(new TextDecoder().decode(bytes))], [JSON.parse(text), JSON.parse(text)]] as const) {
          const id = definedId(format, parsed, discriminator);
          for (const normalizeWith of [normalize, nodeNormalize]) expect((await normalizeWith(body))[0]?.id).toBe(id);
        }
      }),
      // shrinking a 15 KiB body takes minutes: the first failing body is reported as it is
      { numRuns: 200, endOnFailure: true },
    );
  });
});
