import { describe, expect, it } from 'vitest';
import { parseRegistryConfig, stringifyNotificationsConfig, type ConfigDiagnostic, type ParseRegistryConfigOptions } from '../src/index.js';

/** A bare `notifications:` block with the given endpoint lines (each endpoint a YAML flow map or block). */
const block = (...endpoints: string[]) => `notifications:\n  endpoints:\n${endpoints.map((entry) => `    - ${entry}\n`).join('')}`;
const ok = (extra = '') => `{name: a, url: "https://hooks.example.com/a"${extra}}`;

function diagnose(text: string, options?: ParseRegistryConfigOptions): ConfigDiagnostic[] {
  return parseRegistryConfig(text, options).diagnostics;
}
const codesOf = (text: string, options?: ParseRegistryConfigOptions) => diagnose(text, options).map((diagnostic) => diagnostic.code);
const only = (text: string, code: string, options?: ParseRegistryConfigOptions) => {
  const found = diagnose(text, options).filter((diagnostic) => diagnostic.code === code);
  expect(found, `expected one ${code} in ${JSON.stringify(diagnose(text, options))}`).toHaveLength(1);
  return found[0] as ConfigDiagnostic;
};

describe('parseRegistryConfig: the typed result', () => {
  it('reads a whole config.yml, merges ignoredmediatypes after ignore.mediatypes and applies defaults', () => {
    const text = [
      'version: 0.1',
      'storage: {filesystem: {rootdirectory: /var/lib/registry}}',
      'notifications:',
      '  events:',
      '    includereferences: true',
      '  endpoints:',
      '    - name: alistener',
      '      url: https://listener.example.com/event',
      '      headers:',
      '        Authorization: [Bearer token]',
      '      timeout: 1m30s',
      '      backoff: 0',
      '      ignoredmediatypes: [legacy/type]',
      '      ignore:',
      '        mediatypes: [new/type]',
      '        actions: [pull, mount]',
    ].join('\n');
    const { notifications, diagnostics } = parseRegistryConfig(text);
    expect(notifications).toEqual({
      events: { includeReferences: true },
      endpoints: [
        {
          name: 'alistener',
          disabled: false,
          url: 'https://listener.example.com/event',
          headers: { Authorization: ['Bearer token'] },
          timeoutMs: 90_000,
          threshold: 10,
          backoffMs: 1000,
          ignore: { mediaTypes: ['new/type', 'legacy/type'], actions: ['pull', 'mount'] },
        },
      ],
    });
    expect(diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['default-applied']);
  });

  it('reads YAML the way go-yaml v2 does: 1.1 booleans, octal, underscores, truncated floats, strings from any scalar', () => {
    const { notifications } = parseRegistryConfig(block('{name: 0777, url: "https://x.example/", disabled: on, threshold: 1_2, timeout: 2.9e9}'));
    expect(notifications.endpoints[0]).toMatchObject({ name: '0777', disabled: true, threshold: 12, timeoutMs: 2900 });
    expect(parseRegistryConfig(block('{name: a, url: "https://x.example/", threshold: 010}')).notifications.endpoints[0]?.threshold).toBe(8);
  });

  it('expands anchors, aliases and << merge keys', () => {
    const text = ['defaults: &defaults {timeout: 2s, headers: {X-Team: [ops]}}', 'notifications:', '  endpoints:', '    - <<: *defaults', '      name: a', '      url: https://a.example/'].join('\n');
    const { notifications, diagnostics } = parseRegistryConfig(text);
    expect(notifications.endpoints[0]).toMatchObject({ name: 'a', timeoutMs: 2000, headers: { 'X-Team': ['ops'] } });
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
  });

  it('gives the diagnostics of severity error as errors, in the same order, and none for a usable config', () => {
    const broken = parseRegistryConfig(block('{url: "ftp://x", timeout: soon}', '{name: b, url: "https://b.example/", threshold: 5}'));
    expect(broken.errors.length).toBeGreaterThan(1);
    expect(broken.errors).toEqual(broken.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'));
    expect(parseRegistryConfig(block('{name: a, url: "https://a.example/"}')).errors).toEqual([]);
  });

  it('returns an empty result for an empty text and says so', () => {
    const result = parseRegistryConfig('');
    expect(result.notifications).toEqual({ events: { includeReferences: false }, endpoints: [] });
    expect(result.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['no-endpoints']);
  });
});

describe('parseRegistryConfig: errors', () => {
  it.each([
    ['yaml-syntax', 'notifications: [unclosed', ''],
    ['invalid-type', '- just\n- a list\n', ''],
    ['invalid-type', block(ok(', threshold: ten')), 'notifications.endpoints[0].threshold'],
    ['invalid-type', 'notifications:\n  endpoints: {name: a}\n', 'notifications.endpoints'],
    ['unsupported-config-version', 'version: 0.2\nnotifications: {}\n', 'version'],
    ['missing-name', block('{url: "https://x.example/"}'), 'notifications.endpoints[0]'],
    ['missing-url', block('{name: a}'), 'notifications.endpoints[0]'],
    ['invalid-url', block('{name: a, url: "ftp://x.example/"}'), 'notifications.endpoints[0].url'],
    ['invalid-url', block('{name: a, url: "not a url"}'), 'notifications.endpoints[0].url'],
    ['header-not-list', block(ok(', headers: {Authorization: Bearer x}')), 'notifications.endpoints[0].headers.Authorization'],
    ['invalid-duration', block(ok(', timeout: 5 seconds')), 'notifications.endpoints[0].timeout'],
    ['invalid-duration', block(ok(', backoff: "500"')), 'notifications.endpoints[0].backoff'],
    ['unknown-action', block(ok(', ignore: {mediatypes: [x/y], actions: [pul]}')), 'notifications.endpoints[0].ignore.actions[0]'],
  ])('%s at %j', (code, text, path) => {
    const diagnostic = only(text, code);
    expect(diagnostic.severity).toBe('error');
    expect(diagnostic.path).toBe(path);
  });

  it('reports a duplicate name on the second endpoint, pointing at it', () => {
    const text = block(ok(), ok());
    const diagnostic = only(text, 'duplicate-name');
    expect(diagnostic).toMatchObject({ path: 'notifications.endpoints[1].name', line: 4, column: 14 });
    expect(diagnostic.message).toContain('endpoints[0]');
  });

  it('suggests the action that was meant', () => {
    expect(only(block(ok(', ignore: {mediatypes: [x/y], actions: [Push]}')), 'unknown-action').message).toContain('did you mean "push"');
  });
});

describe('parseRegistryConfig: warnings and info', () => {
  it('a bare number below 1ms is nanoseconds: warns with the fix', () => {
    const diagnostic = only(block(ok(', timeout: 500')), 'duration-without-unit');
    expect(diagnostic.message).toContain('500ns');
    expect(diagnostic.message).toContain('did you mean 500ms?');
    expect(diagnostic).toMatchObject({ severity: 'warning', line: 3, column: 62 });
    expect(parseRegistryConfig(block(ok(', timeout: 500'))).notifications.endpoints[0]?.timeoutMs).toBe(0.0005);
    // a bare number of a second or more is deliberate: no warning
    expect(codesOf(block(ok(', timeout: 1000000000')))).not.toContain('duration-without-unit');
  });

  it('Authorization over plain http to a non-loopback host', () => {
    const over = (url: string) => codesOf(block(`{name: a, url: "${url}", headers: {authorization: [Basic x]}}`)).includes('authorization-over-http');
    expect(over('http://hooks.example.com/x')).toBe(true);
    expect(over('https://hooks.example.com/x')).toBe(false);
    expect(over('http://127.0.0.1:8080/x')).toBe(false);
    expect(over('http://localhost/x')).toBe(false);
    expect(over('http://[::1]/x')).toBe(false);
  });

  it('http.debug.addr with headered endpoints (file or environment)', () => {
    const withHeaders = block(ok(', headers: {Authorization: [Bearer t]}'));
    expect(only(`version: 0.1\nhttp: {debug: {addr: ":5001"}}\n${withHeaders}`, 'debug-vars-expose-headers').path).toBe('http.debug.addr');
    expect(only(withHeaders, 'debug-vars-expose-headers', { env: { REGISTRY_HTTP_DEBUG_ADDR: ':5001' } }).source).toBe('REGISTRY_HTTP_DEBUG_ADDR');
    expect(codesOf(`http: {debug: {addr: ":5001"}}\n${block(ok())}`)).not.toContain('debug-vars-expose-headers');
    // an unrelated debug variable keeps the address from the file; an empty one clears it
    const fileAddr = `version: 0.1\nhttp: {debug: {addr: ":5001"}}\n${withHeaders}`;
    expect(codesOf(fileAddr, { env: { REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED: 'true' } })).toEqual(['debug-vars-expose-headers']);
    expect(codesOf(fileAddr, { env: { REGISTRY_HTTP_DEBUG_ADDR: '' } })).not.toContain('debug-vars-expose-headers');
  });

  it('ignoring application/octet-stream drops every blob event', () => {
    expect(only(block(ok(', ignoredmediatypes: [application/octet-stream]')), 'ignores-all-blobs').severity).toBe('warning');
  });

  it('ignore.actions without ignored media types does nothing before 3.1', () => {
    const text = block(ok(', ignore: {actions: [pull]}'));
    expect(only(text, 'ignore-actions-inert').message).toContain('2.8');
    expect(codesOf(text, { version: '3.0' })).toContain('ignore-actions-inert');
    expect(codesOf(text, { version: '3.1' })).not.toContain('ignore-actions-inert');
    expect(codesOf(text, { version: '3' })).not.toContain('ignore-actions-inert');
    expect(codesOf(block(ok(', ignore: {mediatypes: [x/y], actions: [pull]}')))).not.toContain('ignore-actions-inert');
  });

  it('every endpoint disabled', () => {
    expect(codesOf(block(ok(', disabled: true'), '{name: b, url: "https://b.example/", disabled: yes}'))).toContain('all-endpoints-disabled');
    expect(codesOf(block(ok(', disabled: true'), '{name: b, url: "https://b.example/"}'))).not.toContain('all-endpoints-disabled');
  });

  it('unknown keys, with did-you-mean for typos and for case', () => {
    expect(only(block(ok(', treshold: 3')), 'unknown-key').message).toContain('did you mean "threshold"');
    expect(only(block(ok(', Timeout: 3s')), 'unknown-key').message).toContain('did you mean "timeout"');
    expect(only('notification:\n  endpoints: []\n', 'unknown-key').message).toContain('did you mean "notifications"');
    expect(only(block(ok(', ignore: {mediatype: [x/y]}')), 'unknown-key').path).toBe('notifications.endpoints[0].ignore.mediatype');
  });

  it('a key written twice keeps the last value, with a warning', () => {
    const text = block('name: a\n      url: https://a.example/\n      timeout: 1s\n      timeout: 2s');
    expect(only(text, 'duplicate-key').path).toBe('notifications.endpoints[0].timeout');
    expect(parseRegistryConfig(text).notifications.endpoints[0]?.timeoutMs).toBe(2000);
    expect(only(`notifications: {}\n${block(ok())}`, 'duplicate-key').path).toBe('notifications');
  });

  it('headers the registry would send twice', () => {
    const env = { REGISTRY_NOTIFICATIONS_ENDPOINTS_0_HEADERS_AUTHORIZATION: '[Bearer new]' };
    const fromEnv = only(block(ok(', headers: {Authorization: [Bearer old]}')), 'duplicate-header', { env, version: '3' });
    expect(fromEnv).toMatchObject({ source: 'REGISTRY_NOTIFICATIONS_ENDPOINTS_0_HEADERS_AUTHORIZATION', path: 'notifications.endpoints[0].headers.authorization' });
    expect(only(block(ok(', headers: {content-type: [application/json]}')), 'duplicate-header').message).toContain('Content-Type');
    expect(codesOf(block(ok(', headers: {Authorization: [a], X-Other: [b]}')))).not.toContain('duplicate-header');
  });

  it('only the first YAML document counts, as in the registry', () => {
    const text = `${block(ok())}---\nnotifications: [broken\n`;
    expect(only(text, 'multiple-documents')).toMatchObject({ line: 4, column: 1 });
    expect(codesOf(text)).toEqual(['multiple-documents']);
    expect(parseRegistryConfig(text).notifications.endpoints.map((endpoint) => endpoint.name)).toEqual(['a']);
  });

  it('a whole config without version', () => {
    expect(only(`storage: {inmemory: {}}\n${block(ok())}`, 'missing-config-version').severity).toBe('warning');
    expect(codesOf(block(ok()))).not.toContain('missing-config-version');
  });

  it('defaults for zero and negative values are reported as info', () => {
    const text = block(ok(', timeout: 0, threshold: -3, backoff: -1s'));
    const defaults = diagnose(text).filter((diagnostic) => diagnostic.code === 'default-applied');
    expect(defaults.map((diagnostic) => [diagnostic.severity, diagnostic.path])).toEqual([
      ['info', 'notifications.endpoints[0].timeout'],
      ['info', 'notifications.endpoints[0].threshold'],
      ['info', 'notifications.endpoints[0].backoff'],
    ]);
    expect(parseRegistryConfig(text).notifications.endpoints[0]).toMatchObject({ timeoutMs: 1000, threshold: 10, backoffMs: 1000 });
  });

  it('lists diagnostics in text order with 1-based positions', () => {
    const diagnostics = diagnose(block(ok(', timeout: 5'), '{url: "ftp://x"}'));
    const positions = diagnostics.map((diagnostic) => [diagnostic.line, diagnostic.column]);
    expect(positions).toEqual([...positions].sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number)));
    expect(diagnostics.every((diagnostic) => diagnostic.line >= 1 && diagnostic.column >= 1)).toBe(true);
  });
});

describe('parseRegistryConfig: environment overrides', () => {
  it('2.x: the whole list as YAML, Go field names, sorted application', () => {
    const env = {
      REGISTRY_NOTIFICATIONS_ENDPOINTS: '[{name: env, url: "https://env.example/", timeout: 3s}]',
      REGISTRY_NOTIFICATIONS_EVENTCONFIG_INCLUDEREFERENCES: 'true',
    };
    const { notifications, diagnostics } = parseRegistryConfig(block(ok()), { env });
    expect(notifications.endpoints.map((endpoint) => [endpoint.name, endpoint.timeoutMs])).toEqual([['env', 3000]]);
    expect(notifications.events.includeReferences).toBe(true);
    expect(diagnostics).toEqual([]);
  });

  it('2.x: EVENTS is not a Go field name, and indexed variables are skipped', () => {
    const env = { REGISTRY_NOTIFICATIONS_EVENTS_INCLUDEREFERENCES: 'true', REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL: 'https://other.example/' };
    const { notifications, diagnostics } = parseRegistryConfig(block(ok()), { env });
    expect(notifications.events.includeReferences).toBe(false);
    expect(notifications.endpoints[0]?.url).toBe('https://hooks.example.com/a');
    expect(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.source])).toEqual([
      ['ignored-env', 'REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL'],
      ['ignored-env', 'REGISTRY_NOTIFICATIONS_EVENTS_INCLUDEREFERENCES'],
    ]);
    expect(diagnostics[1]?.message).toContain('EVENTCONFIG');
  });

  it('3.x: indexed fields, appending at the end, lower-cased map keys', () => {
    const env = {
      REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL: 'https://other.example/',
      REGISTRY_NOTIFICATIONS_ENDPOINTS_0_HEADERS_AUTHORIZATION: '[Bearer t]',
      REGISTRY_NOTIFICATIONS_ENDPOINTS_1_NAME: 'second',
      REGISTRY_NOTIFICATIONS_ENDPOINTS_1_URL: 'https://second.example/',
    };
    const { notifications, diagnostics } = parseRegistryConfig(block(ok()), { env, version: '3' });
    expect(notifications.endpoints.map((endpoint) => [endpoint.name, endpoint.url, endpoint.headers])).toEqual([
      ['a', 'https://other.example/', { authorization: ['Bearer t'] }],
      ['second', 'https://second.example/', {}],
    ]);
    expect(diagnostics).toEqual([]);
  });

  it('3.x: an index past the end or not a number is an error', () => {
    expect(only(block(ok()), 'invalid-env', { env: { REGISTRY_NOTIFICATIONS_ENDPOINTS_2_URL: 'https://x.example/' }, version: '3' }).message).toContain('index 2');
    expect(only(block(ok()), 'invalid-env', { env: { REGISTRY_NOTIFICATIONS_ENDPOINTS_X_URL: 'https://x.example/' }, version: '3' }).message).toContain('"X"');
  });

  it("problems inside a variable's value point into that value", () => {
    const diagnostic = only('', 'duration-without-unit', { env: { REGISTRY_NOTIFICATIONS_ENDPOINTS: '- name: e\n  url: https://e.example/\n  timeout: 250' } });
    expect(diagnostic).toMatchObject({ source: 'REGISTRY_NOTIFICATIONS_ENDPOINTS', path: 'notifications.endpoints[0].timeout', line: 3, column: 12 });
    const syntax = diagnose('', { env: { REGISTRY_NOTIFICATIONS_ENDPOINTS: '[{name: a' } }).filter((item) => item.code === 'yaml-syntax');
    expect(syntax.length).toBeGreaterThan(0);
    expect(syntax.every((item) => item.source === 'REGISTRY_NOTIFICATIONS_ENDPOINTS' && item.line === 1)).toBe(true);
  });

  it('ignores variables outside REGISTRY_ and flags misspelt sections', () => {
    expect(codesOf(block(ok()), { env: { PATH: '/bin', HOME: '/root' } })).toEqual([]);
    expect(only(block(ok()), 'ignored-env', { env: { REGISTRY_NOTIFICATION_ENDPOINTS: '[]' } }).message).toContain('NOTIFICATIONS');
  });
});

describe('stringifyNotificationsConfig', () => {
  it('round-trips parse -> stringify -> parse with durations written with units', () => {
    const text = block(
      '{name: "yes", url: "https://a.example/", timeout: 500, backoff: 1h2m3.5s, threshold: 3, headers: {Authorization: [Bearer a, b]}}',
      '{name: "0777", url: "http://127.0.0.1/b", disabled: true, timeout: 1.5us, ignoredmediatypes: [x/y], ignore: {actions: [pull, push]}}',
      '{name: plain, url: "https://c.example/", timeout: 2562047h47m16.854775807s}',
    );
    const first = parseRegistryConfig(text).notifications;
    const written = stringifyNotificationsConfig({ ...first, events: { includeReferences: true } });
    expect(written).toContain('timeout: 500ns');
    expect(written).toContain('backoff: 1h2m3.5s');
    expect(written).not.toMatch(/timeout: \d+\n/);
    const second = parseRegistryConfig(written);
    expect(second.diagnostics.filter((diagnostic) => diagnostic.severity !== 'info')).toEqual([]);
    expect(second.notifications).toEqual({ ...first, events: { includeReferences: true } });
  });

  it('quotes strings YAML 1.1 would read as another type', () => {
    const written = stringifyNotificationsConfig({
      events: { includeReferences: false },
      endpoints: [{ name: 'on', disabled: false, url: 'https://a.example/', headers: { 'X-Flag': ['no', '1e3'] }, timeoutMs: 1000, threshold: 10, backoffMs: 1000, ignore: { mediaTypes: [], actions: [] } }],
    });
    expect(parseRegistryConfig(written).notifications.endpoints[0]).toMatchObject({ name: 'on', headers: { 'X-Flag': ['no', '1e3'] } });
    expect(written).toMatch(/name: "on"/);
  });
});
