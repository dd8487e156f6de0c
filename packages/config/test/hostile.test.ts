import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRegistryConfig, type ConfigDiagnostic } from '../src/index.js';

// Bounded time is the property under test, but timing assertions are flaky: these inputs used to
// hang or crash YAML readers, so finishing at all (within vitest's timeout) is the check, and the
// diagnostics must say what was wrong.

const errorCodes = (diagnostics: ConfigDiagnostic[]) => diagnostics.filter((item) => item.severity === 'error').map((item) => item.code);

function billionLaughs(levels: number, where: 'top' | 'notifications'): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level < levels; level++) lines.push(`a${level}: &a${level} [${Array(9).fill(`*a${level - 1}`).join(', ')}]`);
  const anchors = lines.map((line) => (where === 'top' ? line : `  ${line.replace(/^a(\d+):/, 'x-a$1:')}`));
  const last = `*a${levels - 1}`;
  return where === 'top'
    ? `${anchors.join('\n')}\nnotifications:\n  endpoints: ${last}\n`
    : `notifications:\n${anchors.join('\n')}\n  endpoints: [{name: a, url: "https://a.example/", headers: {X: ${last}}}]\n`;
}

describe('hostile input gives diagnostics, never a crash or a hang', () => {
  it.each(['top', 'notifications'] as const)('a billion-laughs alias bomb (%s) is refused as excessive aliasing', (where) => {
    const result = parseRegistryConfig(billionLaughs(10, where));
    expect(errorCodes(result.diagnostics)).toEqual(['excessive-aliasing']);
    expect(result.notifications.endpoints).toEqual([]);
  });

  it('a small, legitimate use of aliases is fine', () => {
    const result = parseRegistryConfig(billionLaughs(2, 'top').replace('endpoints: *a1', 'endpoints: []'));
    expect(errorCodes(result.diagnostics)).toEqual([]);
  });

  it('an anchor that contains itself is refused', () => {
    expect(errorCodes(parseRegistryConfig('a: &a [*a]\nnotifications: {}\n').diagnostics)).toEqual(['excessive-aliasing']);
  });

  it.each([
    ['flow sequences', `notifications: ${'['.repeat(10_000)}${']'.repeat(10_000)}`],
    ['flow mappings', `notifications: ${'{a: '.repeat(10_000)}${'}'.repeat(10_000)}`],
  ])('10 000 levels of %s', (_kind, text) => {
    const codes = errorCodes(parseRegistryConfig(text).diagnostics);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes)).toEqual(new Set(['yaml-syntax']));
  });

  it('deep block nesting: 10 000 levels need 50 MB of indentation (too large); 1 000 levels are too deep to read', () => {
    const nested = (levels: number) => Array.from({ length: levels }, (_, depth) => `${' '.repeat(depth)}k${depth}:`).join('\n');
    expect(errorCodes(parseRegistryConfig(nested(10_000)).diagnostics)).toEqual(['input-too-large']);
    const { diagnostics } = parseRegistryConfig(nested(1_000));
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((item) => item.code === 'yaml-syntax' && item.message.includes('nests too deeply'))).toBe(true);
  });

  it('a 5 MB file is refused before parsing, and maxBytes can raise the limit', () => {
    const endpoint = '    - {name: e, url: "https://e.example/"}\n';
    const huge = `notifications:\n  endpoints:\n${endpoint.repeat(Math.ceil((5 * 1024 * 1024) / endpoint.length))}`;
    expect(errorCodes(parseRegistryConfig(huge).diagnostics)).toEqual(['input-too-large']);
    const multibyte = `# ${'é'.repeat(600_000)}\n`; // 600k code units, 1.2 MB of UTF-8
    expect(errorCodes(parseRegistryConfig(multibyte).diagnostics)).toEqual(['input-too-large']);
    expect(errorCodes(parseRegistryConfig(multibyte, { maxBytes: 2 * 1024 * 1024 }).diagnostics)).toEqual([]);
    // the limit is in UTF-8 bytes: five é are ten bytes
    expect(errorCodes(parseRegistryConfig('#ééééé', { maxBytes: 10 }).diagnostics)).toEqual(['input-too-large']);
    expect(errorCodes(parseRegistryConfig('#éééé', { maxBytes: 10 }).diagnostics)).toEqual([]);
  });

  it('binary garbage is reported, not thrown', () => {
    const bytes = Uint8Array.from({ length: 200_000 }, (_, index) => (index * 7919 + 13) % 256);
    for (const text of [new TextDecoder().decode(bytes), Array.from(bytes, (byte) => String.fromCharCode(byte)).join('')]) {
      const result = parseRegistryConfig(text);
      expect(errorCodes(result.diagnostics).length).toBeGreaterThan(0);
      expect(result.notifications.endpoints).toEqual([]);
    }
  });

  it('any string: never throws, positions are 1-based, errors leave no half-read endpoints behind', () => {
    const yamlish = fc.stringMatching(/^[\w\s:{}[\],&*!|>'"#@%`-]{0,200}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), yamlish), (text) => {
        const { notifications, diagnostics } = parseRegistryConfig(text);
        expect(Array.isArray(notifications.endpoints)).toBe(true);
        for (const diagnostic of diagnostics) {
          expect(diagnostic.line).toBeGreaterThanOrEqual(1);
          expect(diagnostic.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('mutated real configs: never throws', () => {
    const base = 'version: 0.1\nnotifications:\n  events: {includereferences: true}\n  endpoints:\n    - name: a\n      url: https://a.example/\n      headers: {Authorization: [Bearer t]}\n      timeout: 1s\n      ignore: {mediatypes: [x/y], actions: [pull]}\n';
    fc.assert(
      fc.property(fc.nat(base.length), fc.nat(base.length), fc.string({ maxLength: 8 }), (start, length, insert) => {
        const text = base.slice(0, start) + insert + base.slice(start + (length % 12));
        const env = { REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL: insert, REGISTRY_NOTIFICATIONS_EVENTCONFIG: insert };
        expect(() => parseRegistryConfig(text, { env, version: '3' })).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});
