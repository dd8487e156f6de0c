import { DIAGNOSTIC_SEVERITY, parseRegistryConfig, type ParsedRegistryConfig, type ParseRegistryConfigOptions } from '@regevents/config';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { HANG_THRESHOLD_MS, timed } from './bounded.js';
import { mutate, mutation } from './mutate.js';

/** A config like the ones the harness gives the real registry, with every notifications field in use. */
const BASE_CONFIG = {
  version: 0.1,
  log: { level: 'warn' },
  storage: { filesystem: { rootdirectory: '/var/lib/registry' }, delete: { enabled: true } },
  http: { addr: '127.0.0.1:5000', debug: { addr: '127.0.0.1:5001' } },
  notifications: {
    events: { includereferences: true },
    endpoints: [
      {
        name: 'hooks',
        url: 'https://hooks.example.com/registry',
        headers: { Authorization: ['Bearer secret'], 'X-Source': ['registry'] },
        timeout: '500ms',
        threshold: 3,
        backoff: '1s',
        ignoredmediatypes: ['application/octet-stream'],
        ignore: { mediatypes: ['application/vnd.oci.image.config.v1+json'], actions: ['pull'] },
      },
      { name: 'audit', url: 'http://127.0.0.1:8080/events', disabled: false, timeout: '2s', threshold: 5, backoff: '10s' },
    ],
  },
};

/** parseRegistryConfig answers with diagnostics, never a throw, and never a hang. */
function parseBounded(text: string, options?: ParseRegistryConfigOptions): ParsedRegistryConfig {
  const { value, ms } = timed(() => parseRegistryConfig(text, options));
  expect(ms).toBeLessThan(HANG_THRESHOLD_MS);
  return value;
}

/** Diagnostics are well-formed, and a config without errors yields endpoints the registry can use. */
function expectSound({ notifications, diagnostics }: ParsedRegistryConfig): void {
  for (const diagnostic of diagnostics) {
    expect(DIAGNOSTIC_SEVERITY[diagnostic.code]).toBe(diagnostic.severity);
    expect(diagnostic.message.length).toBeGreaterThan(0);
    expect(Number.isInteger(diagnostic.line) && Number.isInteger(diagnostic.column)).toBe(true);
  }
  if (diagnostics.some((diagnostic) => diagnostic.severity === 'error')) return;
  expect(new Set(notifications.endpoints.map((endpoint) => endpoint.name)).size).toBe(notifications.endpoints.length);
  for (const endpoint of notifications.endpoints) {
    expect(endpoint.name.length).toBeGreaterThan(0);
    if (!endpoint.disabled) expect(['http:', 'https:']).toContain(new URL(endpoint.url).protocol);
    for (const number of [endpoint.timeoutMs, endpoint.threshold, endpoint.backoffMs]) expect(Number.isFinite(number) && number >= 0).toBe(true);
    for (const values of Object.values(endpoint.headers)) expect(values.every((value) => typeof value === 'string')).toBe(true);
  }
}

describe('parseRegistryConfig under property tests', () => {
  it('the base config parses without errors (the mutations start from a valid config)', () => {
    const parsed = parseBounded(stringify(BASE_CONFIG));
    expect(parsed.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(parsed.notifications.endpoints.map((endpoint) => endpoint.name)).toEqual(['hooks', 'audit']);
  });

  it('mutated configs: diagnostics, never a throw; no errors only when every endpoint is usable', () => {
    let clean = 0;
    fc.assert(
      fc.property(mutation, fc.constantFrom('2.8', '3.0', '3.1') as fc.Arbitrary<'2.8' | '3.0' | '3.1'>, (change, version) => {
        const parsed = parseBounded(stringify(mutate(BASE_CONFIG, change)), { version });
        expectSound(parsed);
        if (!parsed.diagnostics.some((diagnostic) => diagnostic.severity === 'error')) clean++;
      }),
      { numRuns: 1_500 },
    );
    expect(clean).toBeGreaterThan(100);
  });

  it('arbitrary text and arbitrary YAML documents', () => {
    const yamlish = fc.array(fc.constantFrom('notifications:', '  endpoints:', '    - name: a', '      url: http://x', '&a [*a, *a]', '<<: *a', '? ', ': ', '- ', '{', '}', '[', ']', '"', "'", '!!binary', '%YAML 1.1', '---', '...', '\t', '#', '|', '>'), { maxLength: 40 }).map((parts) => parts.join('\n'));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 2_000 }), yamlish, fc.jsonValue({ maxDepth: 5 }).map((value) => stringify(value))), (text) => {
        expectSound(parseBounded(text));
      }),
      { numRuns: 3_000 },
    );
  });

  it('arbitrary REGISTRY_NOTIFICATIONS_* environment overrides', () => {
    const name = fc.constantFrom('REGISTRY_NOTIFICATIONS', 'REGISTRY_NOTIFICATIONS_ENDPOINTS', 'REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL', 'REGISTRY_NOTIFICATIONS_ENDPOINTS_0_TIMEOUT', 'REGISTRY_NOTIFICATIONS_EVENTS_INCLUDEREFERENCES', 'REGISTRY_HTTP_DEBUG_ADDR');
    fc.assert(
      fc.property(fc.dictionary(name, fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 3 }).map((value) => stringify(value))), { maxKeys: 3 }), fc.constantFrom('2.8', '3.1') as fc.Arbitrary<'2.8' | '3.1'>, (env, version) => {
        expectSound(parseBounded(stringify(BASE_CONFIG), { env, version }));
      }),
      { numRuns: 1_000 },
    );
  });
});
