import { capturedBodies } from '@regevents/registry-harness';
import { describe, expect, it } from 'vitest';
import * as generated from '../src/generated/validators.js';
import { hasForbiddenKey } from '../src/issues.js';
import { validateEvent, validateParsedEvent } from '../src/validate.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const events = capturedBodies().flatMap((captured) => JSON.parse(captured.body.toString('utf8')).events as Json[]);

const REPLACEMENTS: (Json | undefined)[] = [
  undefined,
  null,
  '',
  'x',
  'a'.repeat(300),
  'sha256:abc',
  'SHA256:abc',
  'application/json',
  'library/app',
  '2024-05-01T12:00:00Z',
  '7b6fba23-24e5-45fb-a069-3a730f71b27c',
  'push',
  'delete',
  0,
  -1,
  1.5,
  1e300,
  true,
  [],
  ['x'],
  {},
  { name: 'x' },
  JSON.parse('{"__proto__":{"a":1}}'),
  { nested: { constructor: 1 } },
];

const config = { mediaType: 'application/vnd.oci.image.config.v1+json', size: 1, digest: 'sha256:abc' };

/**
 * Fields the schemas name that the captured events leave out (3.x and OCI descriptor fields), each
 * valid and broken: set on every object, they reach the checks of every optional record and array.
 */
const OPTIONAL_FIELDS: [string, Json][] = [
  ['platform', { architecture: 'amd64', os: 'linux' }],
  ['platform', { architecture: 'arm64', os: 'linux', 'os.version': '10', 'os.features': ['win32k'], variant: 'v8', features: ['sse4'] }],
  ['platform', { architecture: 'amd64' }],
  ['platform', { architecture: 'a'.repeat(65), os: 'linux' }],
  ['platform', { architecture: 'amd64', os: 'linux', features: [1] }],
  ['platform', { architecture: 'amd64', os: 'linux', 'os.features': 'win32k' }],
  ['platform', { architecture: 'amd64', os: 'linux', extra: { deep: { constructor: 1 } } }],
  ['annotations', { 'org.opencontainers.image.title': 'x' }],
  ['annotations', { a: 1 }],
  ['annotations', JSON.parse('{"__proto__":"x"}')],
  ['urls', ['https://mirror.example/blob']],
  ['urls', [1]],
  ['urls', Array.from({ length: 65 }, () => 'u')],
  ['data', 'aGVsbG8='],
  ['data', 'not base64!'],
  ['artifactType', 'application/vnd.example+json'],
  ['artifactType', 'not a media type'],
  ['references', [config]],
  ['references', [{ ...config, platform: { architecture: 'amd64', os: 'linux' }, annotations: { a: 'b' }, urls: ['u'], data: 'AA==' }]],
  ['references', [{ ...config, platform: { os: 'linux' } }]],
  ['references', [{ ...config, digest: 'sha256' }]],
  ['references', [config, { ...config, extra: { prototype: 1 } }]],
  ['length', 5],
  ['length', -1],
  ['tag', 'v1'],
  ['tag', '.v1'],
  ['fromRepository', 'other/app'],
  ['fromRepository', 'Other/App'],
  ['addr', '10.0.0.1:5000'],
  ['host', 1],
  ['name', 'alice'],
  ['instanceID', 'a'.repeat(257)],
];

/** Every copy of `document` with one value replaced (or removed), and with one unknown or optional key added to one object. */
function* variants(document: Json): Generator<Json> {
  const paths: (string | number)[][] = [];
  const objects: (string | number)[][] = [[]];
  const walk = (node: Json, path: (string | number)[]) => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      const at = [...path, Array.isArray(node) ? Number(key) : key];
      paths.push(at);
      if (child !== null && typeof child === 'object' && !Array.isArray(child)) objects.push(at);
      walk(child, at);
    }
  };
  walk(document, []);
  const at = (root: Json, path: (string | number)[]) => path.reduce<any>((node, key) => node[key], root);
  for (const path of paths) {
    for (const replacement of REPLACEMENTS) {
      const copy = structuredClone(document);
      const parent = at(copy, path.slice(0, -1));
      const key = path[path.length - 1] as string | number;
      if (replacement === undefined) {
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
      } else parent[key] = replacement;
      yield copy;
    }
  }
  for (const path of objects) {
    for (const [key, value] of [['unknown', 'x'], ['constructor', 1], ['prototype', 'x'], ['extra', { deep: [{ prototype: 1 }] }], ['extra', { deep: [{ fine: 1 }] }], ...OPTIONAL_FIELDS] as const) {
      const copy = structuredClone(document);
      at(copy, path)[key] = value;
      yield copy;
    }
  }
}

const roots = {
  envelope: { of: (event: Json): Json => ({ events: [event] }), tolerant: [generated.envelopeTolerantParsed, generated.envelopeTolerantFast], strict: [generated.envelopeStrictParsed, generated.envelopeStrictFast] },
  event: { of: (event: Json): Json => event, tolerant: [generated.eventTolerantParsed, generated.eventTolerantFast], strict: [generated.eventStrictParsed, generated.eventStrictFast] },
} as const;

describe('parsed validators (one pass over JSON.parse output)', () => {
  for (const [root, validators] of Object.entries(roots)) {
    for (const strict of [false, true]) {
      it(`${root}: agree with the ajv fast validator and the forbidden-key search${strict ? ' in strict mode' : ''}, on every captured event and every one-change variant`, () => {
        const [parsed, fast] = validators[strict ? 'strict' : 'tolerant'];
        let accepted = 0;
        let rejected = 0;
        for (const event of events) {
          for (const document of variants(validators.of(event))) {
            // Through JSON, as parseEnvelope sees it (a __proto__ key becomes an own property).
            const value = JSON.parse(JSON.stringify(document));
            const expected = fast(value) && !hasForbiddenKey(value);
            if (parsed(value) !== expected) expect.fail(`parsed says ${!expected} for ${JSON.stringify(value)}`);
            if (expected) accepted++;
            else rejected++;
          }
        }
        // Both answers occur often: the variants are not all trivially valid or invalid.
        expect(accepted).toBeGreaterThan(1_000);
        expect(rejected).toBeGreaterThan(1_000);
      });
    }
  }
});

describe('validateParsedEvent', () => {
  it('answers as validateEvent does, issues included, on captured events and one-change variants', () => {
    let invalid = 0;
    for (const event of events.slice(0, 8)) {
      for (const variant of variants(event)) {
        const value = JSON.parse(JSON.stringify(variant));
        const expected = validateEvent(value);
        expect(validateParsedEvent(value)).toEqual(expected);
        expect(validateParsedEvent(value, { strict: true })).toEqual(validateEvent(value, { strict: true }));
        if (!expected.ok) invalid++;
      }
    }
    expect(invalid).toBeGreaterThan(100);
  });
});
