import { describe, expect, it } from 'vitest';
import { parseEnvelope, RegEventsValidationError, validateEnvelope, validateEvent, type ValidationIssue } from '../src/index.js';
import { capturedEvent } from './fixtures.js';

function issuesOf(value: unknown, strict = false): ValidationIssue[] {
  const result = validateEvent(value, { strict });
  if (result.ok) throw new Error('expected the value to be rejected');
  return result.issues;
}

function parseError(body: string | Uint8Array, options?: Parameters<typeof parseEnvelope>[1]): RegEventsValidationError {
  try {
    parseEnvelope(body, options);
  } catch (error) {
    if (error instanceof RegEventsValidationError) return error;
    throw error;
  }
  throw new Error('expected parseEnvelope to throw');
}

const manifestPush = () => capturedEvent('push-by-tag/003.json');
const blobPush = () => capturedEvent('push-by-tag/001.json');
const mount = () => capturedEvent('copy-to-repository/003.json');
const digestDelete = () => capturedEvent('delete-by-tag/002.json');
const tagDelete = () => capturedEvent('delete-by-tag/003.json');

describe('required fields', () => {
  const cases: [string, () => Record<string, any>, string[]][] = [
    ['manifest push', manifestPush, ['id', 'timestamp', 'action', 'target', 'request', 'actor', 'source', 'target.mediaType', 'target.size', 'target.digest', 'target.repository', 'target.url', 'request.id', 'request.method', 'request.useragent']],
    ['mount', mount, ['target.fromRepository', 'target.digest', 'target.repository']],
    ['digest delete', digestDelete, ['target.repository']],
  ];
  for (const [label, make, paths] of cases) {
    it.each(paths)(`${label}: removing %s is reported at that path`, (path) => {
      const event = make();
      const keys = path.split('.');
      const last = keys.pop() as string;
      const parent = keys.reduce((node, key) => node[key], event);
      delete parent[last];
      const issues = issuesOf(event);
      expect(issues).toContainEqual({ path, message: 'is required' });
    });
  }

  it('a delete target without a tag must name a digest', () => {
    const event = digestDelete();
    delete event.target.digest;
    expect(issuesOf(event)).toEqual([{ path: 'target.digest', message: 'is required' }]);
  });

  it('a delete target names a digest or a tag, not both', () => {
    const event = digestDelete();
    event.target.tag = '1.0';
    expect(issuesOf(event)).toEqual([{ path: 'target.digest', message: 'must be ""' }]);
  });
});

describe('wrong values', () => {
  it.each([
    ['target.digest', 'sha256-abc', 'must look like <algorithm>:<hex>'],
    ['target.digest', 'SHA256:abc', 'must look like <algorithm>:<hex>'],
    ['target.digest', '', 'must look like <algorithm>:<hex>'],
    ['timestamp', '2024-13-01T00:00:00Z', 'must be an RFC 3339 timestamp such as 2024-05-01T12:00:00.123456789Z'],
    ['timestamp', '2024-05-01 12:00:00Z', 'must be an RFC 3339 timestamp such as 2024-05-01T12:00:00.123456789Z'],
    ['timestamp', '2024-05-01T12:00:00.1234567890Z', 'must be an RFC 3339 timestamp such as 2024-05-01T12:00:00.123456789Z'],
    ['timestamp', '2024-05-01T12:00:00', 'must be an RFC 3339 timestamp such as 2024-05-01T12:00:00.123456789Z'],
    ['id', 'not-a-uuid', 'must be a UUID'],
    ['target.repository', 'Demo/App', 'must be a repository name such as library/app (lower-case components separated by /)'],
    ['target.tag', '-bad', 'must be a tag: up to 128 letters, digits, _ . - not starting with . or -'],
    ['target.mediaType', 'not a media type', 'must be a media type such as application/vnd.oci.image.manifest.v1+json'],
  ])('%s = %j: %s', (path, value, message) => {
    const event = manifestPush();
    const keys = path.split('.');
    const last = keys.pop() as string;
    keys.reduce((node, key) => node[key], event)[last] = value;
    expect(issuesOf(event)).toEqual([{ path, message }]);
  });

  it.each([
    ['target.size', '402', 'must be an integer'],
    ['target.size', -1, 'must be >= 0'],
    ['target.size', 1.5, 'must be an integer'],
    ['target.size', 2 ** 60, 'must be <= 9007199254740991'],
    ['target', 'manifest', 'must be an object'],
    ['request', [], 'must be an object'],
    ['actor', null, 'must be an object'],
    ['id', 42, 'must be a string'],
  ])('%s = %j is rejected with %s', (path, value, message) => {
    const event = manifestPush();
    const keys = path.split('.');
    const last = keys.pop() as string;
    keys.reduce((node, key) => node[key], event)[last] = value;
    expect(issuesOf(event)).toContainEqual({ path, message });
  });

  it('an unknown action names the known ones', () => {
    expect(issuesOf({ ...manifestPush(), action: 'rename' })).toEqual([{ path: 'action', message: 'must be one of push, pull, delete, mount (got "rename")' }]);
  });

  it('an event with no action still reports its other independent issues (a malformed digest, a bad timestamp)', () => {
    const { action: _action, ...actionless } = manifestPush();
    const broken = { ...actionless, timestamp: 'yesterday', target: { ...actionless['target'], digest: 'nope' } };
    expect(issuesOf(broken)).toEqual([
      { path: 'action', message: 'is required' },
      { path: 'timestamp', message: 'must be an RFC 3339 timestamp such as 2024-05-01T12:00:00.123456789Z' },
      { path: 'target.digest', message: 'must look like <algorithm>:<hex>' },
    ]);
    // through an envelope and parseEnvelope, with the event's path
    const envelope = { events: [manifestPush(), broken] };
    const expected = [
      { path: 'events[1].action', message: 'is required' },
      { path: 'events[1].timestamp', message: 'must be an RFC 3339 timestamp such as 2024-05-01T12:00:00.123456789Z' },
      { path: 'events[1].target.digest', message: 'must look like <algorithm>:<hex>' },
    ];
    const result = validateEnvelope(envelope);
    expect(result.ok ? [] : result.issues).toEqual(expected);
    expect(parseError(JSON.stringify(envelope)).issues).toEqual(expected);
  });

  it('an unknown action reports the issues every shape finds, and none that depend on the action', () => {
    // a manifest push's target lacks what a mount needs (fromRepository): that depends on the action, so it is not reported
    const renamed = { ...manifestPush(), action: 'rename', id: 'not-a-uuid' };
    expect(issuesOf(renamed)).toEqual([
      { path: 'action', message: 'must be one of push, pull, delete, mount (got "rename")' },
      { path: 'id', message: 'must be a UUID' },
    ]);
  });

  it('a misplaced fromRepository is only an unknown field, and only in strict mode', () => {
    const event = { ...blobPush(), target: { ...blobPush().target, fromRepository: 'other/app' } };
    expect(validateEvent(event).ok).toBe(true);
    expect(issuesOf(event, true)).toEqual([{ path: 'target.fromRepository', message: 'is not a known field (strict mode)' }]);
  });

  it('lists every failure, not just the first', () => {
    const event = manifestPush();
    event.target.digest = 'x';
    event.timestamp = 'yesterday';
    delete event.request.method;
    expect(issuesOf(event).map((i) => i.path).sort()).toEqual(['request.method', 'target.digest', 'timestamp']);
  });

  it('strict mode names every unknown field with its path', () => {
    const event = manifestPush();
    event.extra = 1;
    event.target.annotationz = {};
    event.source.region = 'eu';
    expect(issuesOf(event, true).map((i) => i.path).sort()).toEqual(['extra', 'source.region', 'target.annotationz']);
    expect(validateEvent(event).ok).toBe(true);
  });
});

describe('distribution 3.x shapes (derived from the 2.8.2 captures as DOMAIN.md §1 describes)', () => {
  it('a 3.x tag delete writes empty mediaType and digest and size 0', () => {
    const event = tagDelete();
    event.target = { mediaType: '', digest: '', size: 0, repository: event.target.repository, tag: event.target.tag };
    expect(validateEvent(event, { strict: true }).ok).toBe(true);
  });

  it('an empty digest is only accepted beside a tag', () => {
    const event = tagDelete();
    event.target = { mediaType: '', digest: '', size: 0, repository: event.target.repository };
    expect(issuesOf(event)).toEqual([{ path: 'target.digest', message: 'must look like <algorithm>:<hex>' }]);
  });

  it('UUIDv7 ids, artifactType and data validate in strict mode', () => {
    const event = manifestPush();
    event.id = '0192f1b2-8c3d-7e4f-9a0b-1c2d3e4f5a6b';
    event.target.artifactType = 'application/vnd.example.sbom.v1+json';
    event.target.data = 'eyJzY2hlbWFWZXJzaW9uIjoyfQ==';
    expect(validateEvent(event, { strict: true }).ok).toBe(true);
    event.target.data = 'not base64!';
    expect(issuesOf(event)).toEqual([{ path: 'target.data', message: 'must be base64' }]);
  });
});

describe('envelopes', () => {
  it('events must be an array', () => {
    expect(validateEnvelope({ events: {} })).toEqual({ ok: false, issues: [{ path: 'events', message: 'must be an array' }] });
    expect(validateEnvelope({})).toEqual({ ok: false, issues: [{ path: 'events', message: 'is required' }] });
  });

  it.each([null, 42, 'text', [], true])('a non-object (%j) is rejected at the root', (value) => {
    expect(validateEnvelope(value)).toEqual({ ok: false, issues: [{ path: '(root)', message: expect.stringMatching(/^must be an object$/) }] });
  });

  it('paths name the event index', () => {
    const bad = manifestPush();
    bad.target.digest = 'nope';
    expect(validateEnvelope({ events: [manifestPush(), bad] })).toEqual({
      ok: false,
      issues: [{ path: 'events[1].target.digest', message: 'must look like <algorithm>:<hex>' }],
    });
  });

  it('accepts several unrelated events in one envelope', () => {
    const envelope = { events: [manifestPush(), blobPush(), mount(), digestDelete(), tagDelete()] };
    expect(validateEnvelope(envelope, { strict: true }).ok).toBe(true);
  });

  it('annotation keys with dots are quoted in paths', () => {
    const event = manifestPush();
    event.target.annotations = { 'org.opencontainers.image.title': 7 };
    expect(issuesOf(event)).toEqual([{ path: 'target.annotations["org.opencontainers.image.title"]', message: 'must be a string' }]);
  });
});

describe('hostile input to parseEnvelope', () => {
  const valid = () => JSON.stringify({ events: [manifestPush()] });

  it.each([
    ['__proto__', '{"events":[{"__proto__":{"polluted":true}}]}', 'events[0].__proto__'],
    ['escaped __proto__', '{"events":[],"\\u005f_proto__":{}}', '__proto__'],
    ['constructor', '{"events":[],"constructor":{"prototype":{}}}', 'constructor'],
    ['nested prototype', JSON.stringify({ events: [{ ...manifestPush(), target: { ...manifestPush().target, annotations: { prototype: 'x' } } }] }), 'events[0].target.annotations.prototype'],
  ])('rejects a %s key', (_label, body, path) => {
    const error = parseError(body);
    expect(error.issues[0]).toEqual({ path, message: 'is a forbidden key (prototype pollution)' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([10, 100, 10_000])('finds a forbidden key nested %i levels deep, in objects and arrays', (depth) => {
    const nested = `${'{"a":['.repeat(depth)}{"prototype":1}${']}'.repeat(depth)}`;
    const error = parseError(`{"events":[],"x":${nested}}`);
    expect(error.issues[0]).toEqual({ path: `x${'.a[0]'.repeat(depth)}.prototype`, message: 'is a forbidden key (prototype pollution)' });
  });

  it('rejects forbidden keys in already-parsed values too', () => {
    const value = JSON.parse('{"events":[],"__proto__":{}}');
    expect(validateEnvelope(value)).toEqual({ ok: false, issues: [{ path: '__proto__', message: 'is a forbidden key (prototype pollution)' }] });
    const valid = { events: [manifestPush()] };
    (valid.events[0] as Record<string, any>).target.annotations = JSON.parse('{"constructor":"yes"}');
    expect(validateEnvelope(valid)).toEqual({ ok: false, issues: [{ path: 'events[0].target.annotations.constructor', message: 'is a forbidden key (prototype pollution)' }] });
  });

  it('rejects invalid UTF-8', () => {
    const bytes = new TextEncoder().encode(valid());
    const broken = new Uint8Array([...bytes.slice(0, 20), 0xc3, 0x28, ...bytes.slice(20)]);
    expect(parseError(broken).issues).toEqual([{ path: '(body)', message: 'is not valid UTF-8' }]);
  });

  it.each(['', '{', '{"events":[]', 'null null', '\u0000'])('rejects invalid JSON %j', (body) => {
    const error = parseError(body);
    expect(error.issues[0]?.path).toBe('(body)');
    expect(error.issues[0]?.message).toMatch(/^is not valid JSON/);
  });

  it('rejects a body over the size limit, as text or bytes', () => {
    const body = valid();
    expect(parseError(body, { maxBytes: body.length - 1 }).issues).toEqual([{ path: '(body)', message: `is larger than ${body.length - 1} bytes` }]);
    expect(parseError(new TextEncoder().encode(body), { maxBytes: 10 }).issues[0]?.message).toBe('is larger than 10 bytes');
    expect(parseEnvelope(body, { maxBytes: body.length }).events).toHaveLength(1);
  });

  it('rejects a megabyte string in a known field', () => {
    const event = manifestPush();
    event.target.repository = 'a'.repeat(1024 * 1024);
    const error = parseError(JSON.stringify({ events: [event] }), { maxBytes: 4 * 1024 * 1024 });
    expect(error.issues).toEqual([{ path: 'events[0].target.repository', message: 'must NOT have more than 255 characters' }]);
  });

  it('rejects a megabyte body by default', () => {
    const event = manifestPush();
    event.padding = 'a'.repeat(1024 * 1024);
    expect(parseError(JSON.stringify({ events: [event] })).issues).toEqual([{ path: '(body)', message: 'is larger than 1048576 bytes' }]);
  });

  it('rejects huge numbers that JSON turns into Infinity', () => {
    const body = valid().replace(/"size":\d+/, '"size":1e400');
    expect(parseError(body).issues).toContainEqual({ path: 'events[0].target.size', message: 'must be an integer' });
  });

  it('throws only RegEventsValidationError for a non-string, non-bytes body', () => {
    expect(parseError(42 as unknown as string).issues).toEqual([{ path: '(body)', message: 'must be a string or a Uint8Array' }]);
  });

  it('the message names the first path and the expectation', () => {
    const event = manifestPush();
    event.target.digest = 'nope';
    expect(parseError(JSON.stringify({ events: [event] })).message).toBe(
      'Invalid registry notification: events[0].target.digest: must look like <algorithm>:<hex>',
    );
  });
});

describe('bounded diagnostics', () => {
  it('a body with 400,000 bad events gets the first 200 issues, not 400,000', () => {
    const error = parseError(`{"events":[${'1,'.repeat(400_000)}1]}`);
    expect(error.issues).toHaveLength(200);
    expect(error.issues).toContainEqual({ path: 'events', message: 'must NOT have more than 1000 items' });
    expect(error.issues).toContainEqual({ path: 'events[0]', message: 'must be an object' });
  });
});
