import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generalCanonicalJson } from '../src/derived-id.js';
import { canonicalJson, derivedId, identifiesOccurrence, InvalidPayloadError, NestingTooDeepError, normalize } from '../src/index.js';
import { derivedId as nodeDerivedId, normalize as nodeNormalize, nodeSha256 } from '../src/node/index.js';
import { portableSha256 } from '../src/derived-id.js';
import { vendorFixtures } from './fixtures.js';

// Derived ids are dedupe keys that receivers have already stored: a change in how they are
// computed (hash, canonical form, UUID shaping) would run every stored event's handler again.
// These were computed by the WebCrypto implementation; every later one must agree byte for byte.
const PINNED_BY_FIXTURE: Record<string, string> = {
  'acr/chart-delete': '489444bb-f237-8758-aabb-618bc343e998',
  'acr/chart-push': 'ad30d4e2-8910-85ca-8305-9123323a311c',
  'acr/delete': '549138b3-2d81-8024-81b9-4fbce7466bac',
  'acr/push': '06a6ede3-226a-8699-b7ba-467888adc9c5',
  'artifactory/docker-pushed': '8d3fb010-a7d2-8712-8b9d-4c0cd0bc6634',
  'dockerhub/push': 'a152e180-e6b4-8031-a402-32d1feaa2901',
  'ecr/image-delete': '674c2a01-2dbd-8c7f-b0f9-af2fa633d057',
  'ecr/image-push': '0e3edc0c-06de-834c-aa5e-ab8122479370',
  'gar/delete-tag': 'b0d61801-bd0c-8054-8cfc-01c8737d29d9',
  'gar/insert-digest': '18d23baf-64f4-8791-9ae6-e54debf94e8b',
  'gar/insert-tag': '4240f58c-4243-834f-817c-3912f10ac358',
  'gar/push-insert-tag': '50371de0-523c-8956-b54a-ec731dfcb118',
  'ghcr/package-published': 'a377f0f1-4d9f-8873-9878-faddd77ddf50',
  'gitlab/push-with-meta': '55d69bbc-9394-8f63-8cd4-448f1e5c53da',
  'gitlab/rename': '4467e87b-bc18-8411-8931-fe939aee79eb',
  'harbor/delete-artifact': '810cd629-9cf5-84b2-8b1c-b07772fde519',
  'harbor/pull-artifact': '53d9aa8d-5854-8bd9-8731-9bdd909c9724',
  'harbor/push-artifact': '26bf0260-c718-8bf4-8320-dee728d21e63',
  'harbor/quota-exceed': '0d0fdb87-c1c0-86b4-8c31-4be821a978ea',
  'harbor/quota-warning': '2329f3fe-becc-86b9-a19c-c865b49b8eb7',
  'harbor/replication': '0421435f-851a-84c4-892c-ffbc1ef5ad98',
  'harbor/scanning-completed': '447aa5a7-2368-87d2-b52b-dd30161d9eb8',
  'harbor/scanning-failed': '562e8955-4756-8df3-bfc0-fc1bc313f840',
  'harbor/scanning-stopped': '303243bc-f68f-8958-913b-6ac33ceeeae2',
  'harbor/tag-retention': '74834780-f47a-8777-8386-bcc9588a7cec',
  'harbor-cloudevents/delete-artifact': '896d816b-5f19-8086-a14a-f28382658719',
  'harbor-cloudevents/pull-artifact': '041e61ca-0cc4-838c-8435-01e3bf25074c',
  'harbor-cloudevents/push-artifact': '9ec2e20a-4b08-8df0-a806-8fc51cd9b0c2',
  'harbor-cloudevents/quota-exceed': '13353c8c-799c-8314-94ae-523edd1adb34',
  'harbor-cloudevents/quota-warning': 'da84b8e6-449c-8f57-9cb3-eea67406fc2f',
  'harbor-cloudevents/replication': 'f38b3297-37df-8a33-93ad-2c09e8b556aa',
  'harbor-cloudevents/scanning-completed': '1e646bea-79f7-891a-8dce-c515848cec84',
  'harbor-cloudevents/scanning-failed': '6b82f593-f097-853d-ace9-e4828aa27ddd',
  'harbor-cloudevents/scanning-stopped': '9da586e2-5d03-80fd-a3a3-640428299fe7',
  'harbor-cloudevents/tag-retention': '9a930df5-92ed-896d-8fa3-cccaf1b5ccbe',
  'harbor-policy/cloudevents-http': 'd2d6b320-3d9a-8499-a7ce-68bd5471b9c4',
  'quay/repo-push': '51fc1426-ac96-823c-b4be-1618800bda0b',
};

describe('derived ids are pinned byte for byte', () => {
  it('covers every vendor fixture', () => {
    expect(vendorFixtures().map((fixture) => fixture.name).sort()).toEqual(Object.keys(PINNED_BY_FIXTURE).sort());
  });

  it.each(vendorFixtures().map((fixture) => [fixture.name, fixture] as const))('%s', async (name, fixture) => {
    expect(await derivedId(fixture.folder, JSON.parse(fixture.text), '0')).toBe(PINNED_BY_FIXTURE[name]);
    expect(await nodeDerivedId(fixture.folder, JSON.parse(fixture.text), '0')).toBe(PINNED_BY_FIXTURE[name]);
  });

  it.each([
    // Key order, undefined members, -0, exponents, escapes, U+2028, astral and lone surrogates.
    ['quay', { z: 1, a: [1, 2.5, -0, 1e21, null, true, 'é\u2028"\\'], m: { b: undefined, a: '' } }, 'tag-1', '24c639c3-14cd-8d38-ab90-7ba72b36eb86'],
    ['ghcr', '', '', '6a1ac0ce-65ec-81ed-ad5e-5089a4acfed2'],
    ['gitlab', ['\ud83d\ude00', '\ud800'], '3', 'f9031007-d55c-88fb-9b25-16b7e9f6167b'],
  ] as const)('%s %j %s', async (format, value, discriminator, id) => {
    expect(await derivedId(format, value, discriminator)).toBe(id);
    expect(await nodeDerivedId(format, value, discriminator)).toBe(id);
  });

  it('@regevents/formats/node normalizes every fixture to the same ids', async () => {
    // events that identify no occurrence get a random id at each normalization
    const ids = (events: { id: string }[]) => events.filter((event) => identifiesOccurrence(event as never)).map((event) => event.id);
    let compared = 0;
    for (const fixture of vendorFixtures().filter((f) => f.folder !== 'harbor-policy')) {
      const headers = fixture.meta['headers'] as Record<string, string> | undefined;
      const native = ids(await nodeNormalize(fixture.text, headers));
      expect(native).toEqual(ids(await normalize(fixture.text, headers)));
      compared += native.length;
    }
    expect(compared).toBeGreaterThan(30);
  });

  it('node:crypto hashes what the portable SHA-256 hashes, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => Buffer.from(nodeSha256(text)).equals(Buffer.from(portableSha256(text)))),
      { numRuns: 2000 },
    );
  });
});

describe('canonicalJson: the walk for JSON-parsed values writes what the general walk writes', () => {
  class Point {
    constructor(
      readonly x = 1,
      readonly y = 2,
    ) {}
  }
  const nullPrototype = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: [2] });
  const withOwnProto = JSON.parse('{"z":1,"__proto__":{"b":2,"a":1},"a":[{"d":4,"c":3}]}') as unknown;
  const holes = [1, , 3]; // eslint-disable-line no-sparse-arrays
  const withToJson = Object.assign([1, 2], { toJSON: () => 'replaced' });
  const cases: [string, unknown][] = [
    ['integer-like keys out of code-unit order', { 10: 'a', 9: 'b', a: { 2: 1, 10: 2 } }],
    ['an own __proto__ key', withOwnProto],
    ['a null-prototype object', nullPrototype],
    ['a Date', { when: new Date(0) }],
    ['a class instance', [new Point()]],
    ['function, symbol and undefined members', { f: () => 1, s: Symbol('s'), u: undefined, k: 1 }],
    ['holes and undefined in arrays', [holes, [undefined, () => 1]]],
    ['an own toJSON', withToJson],
    ['a non-enumerable toJSON on a plain object', Object.defineProperty({ a: 1 }, 'toJSON', { value: () => 'hidden', enumerable: false })],
    ['numbers', [-0, Number.NaN, Infinity, 1e21, 5e-324, 2 ** 53 + 1]],
    ['sorted keys that need no copy', { a: { b: [{ c: 1, d: 2 }] } }],
    ['unsorted keys inside arrays inside sorted objects', { a: [{ z: 1, y: 2 }], b: 'x' }],
  ];
  it.each(cases)('%s', (_name, value) => {
    expect(canonicalJson(value)).toBe(generalCanonicalJson(value));
  });

  it('an inherited toJSON (a polluted Object.prototype) is not called', () => {
    const prototype = Object.prototype as { toJSON?: () => string };
    prototype.toJSON = () => 'polluted';
    try {
      expect(canonicalJson({ a: { b: 1 } })).toBe('{"a":{"b":1}}');
    } finally {
      delete prototype.toJSON;
    }
  });

  it.each(vendorFixtures().map((fixture) => [fixture.name, fixture] as const))('%s', (_name, fixture) => {
    const value = ['fmt', '0', JSON.parse(fixture.text)];
    expect(canonicalJson(value)).toBe(generalCanonicalJson(value));
  });

  // A fixture rebuilt with each object's keys in another order, sometimes an extra integer-like,
  // `__proto__`, unicode or lone-surrogate key, strings swapped for arbitrary UTF-16 and values
  // wrapped in arrays: the shapes vendors send, and the ones a remembered key order must not confuse.
  const EXTRA_KEYS = ['__proto__', '0', '7', '10', '', 'a', 'Z', 'é', '\u2028', '\ud800', '\udc00x', '\u{1f600}', 'id', 'zz'];
  const leaf = fc.oneof(fc.string({ unit: 'binary' }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null));
  function variant(value: unknown, g: fc.GeneratorValue): unknown {
    const wrapped = (item: unknown) => Array.from({ length: g(fc.nat, { max: 2 }) }).reduce<unknown>((inner) => [inner], item);
    if (typeof value === 'string') return wrapped(g(fc.boolean) ? g(fc.string, { unit: 'binary' }) : value);
    if (Array.isArray(value)) return wrapped(value.map((item) => variant(item, g)));
    if (value === null || typeof value !== 'object') return wrapped(value);
    const extra = g(fc.subarray, EXTRA_KEYS, { maxLength: 3 }).filter((key) => !Object.hasOwn(value, key));
    const keys = g(fc.shuffledSubarray, [...Object.keys(value), ...extra], { minLength: Object.keys(value).length + extra.length });
    const copy: Record<string, unknown> = {};
    for (const key of keys) Object.defineProperty(copy, key, { value: Object.hasOwn(value, key) ? variant((value as Record<string, unknown>)[key], g) : g(() => leaf), enumerable: true, writable: true, configurable: true });
    return copy;
  }

  it('agrees on variants of every vendor fixture', () => {
    const fixtures = vendorFixtures().map((fixture) => JSON.parse(fixture.text) as unknown);
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.gen(), (fixture, g) => {
        const value = variant(fixture, g);
        // twice: the second call copies by the key orders the first remembered
        return canonicalJson(value) === generalCanonicalJson(value) && canonicalJson(value) === generalCanonicalJson(value);
      }),
      { numRuns: 1000 },
    );
  });

  it('tells apart key orders that share a first key and a length', () => {
    const values = [{ m: 1, b: 2, a: 3 }, { m: 1, c: 2, a: 3 }, { m: 1, a: 3, b: 2 }, JSON.parse('{"m":1,"__proto__":2,"a":3}') as unknown];
    for (const value of [...values, ...values]) expect(canonicalJson(value)).toBe(generalCanonicalJson(value));
  });

  it('agrees past the bounds on remembered key orders (per first key, and in all, which then starts afresh)', () => {
    const sharingFirstKey = Array.from({ length: 50 }, (_, index) => ({ m: index, [`k${index}`]: [{ z: 1, y: index }], a: 0 }));
    const eachNew = Array.from({ length: 3000 }, (_, index) => ({ [`m${index}`]: index, [`k${index}`]: [{ z: 1, y: index }], a: 0 }));
    const values = [...sharingFirstKey, ...eachNew, ...sharingFirstKey, ...eachNew];
    expect(values.map((value) => canonicalJson(value))).toEqual(values.map((value) => generalCanonicalJson(value)));
  });

  it('agrees on arbitrary JSON values and arbitrary objects', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => canonicalJson(value) === generalCanonicalJson(value)), { numRuns: 2000 });
    fc.assert(fc.property(fc.anything({ withNullPrototype: true, withObjectString: true, withDate: true, withSparseArray: true }), (value) => canonicalJson(value) === generalCanonicalJson(value)), { numRuns: 2000 });
  });
});

describe('derived ids of bodies that fan out or nest deeply', () => {
  const harborPush = () => JSON.parse(vendorFixtures().find((fixture) => fixture.name === 'harbor/push-artifact')!.text) as { event_data: { resources: { tag: string }[] } };

  it('a Harbor payload with two resources gets the ids derivedId gives for discriminators "0" and "1"', async () => {
    const payload = harborPush();
    payload.event_data.resources.push({ ...payload.event_data.resources[0]!, tag: 'second' });
    for (const normalizeWith of [normalize, nodeNormalize]) {
      const ids = (await normalizeWith(JSON.stringify(payload))).map((event) => event.id);
      expect(ids).toEqual([await derivedId('harbor', payload, '0'), await derivedId('harbor', payload, '1')]);
      expect(new Set(ids).size).toBe(2);
    }
  });

  const nested = (depth: number): unknown => {
    let value: unknown = 'leaf';
    for (let level = 0; level < depth; level++) value = [value];
    return value;
  };

  it('a body nested too deeply for a canonical form is an InvalidPayloadError, not a RangeError', async () => {
    // 20,000 levels in 80 KB: within the body limit, beyond what a recursive walk (or JSON.stringify) can take
    const body = `${JSON.stringify(harborPush()).slice(0, -1)},"extra":${'['.repeat(20_000)}"leaf"${']'.repeat(20_000)}}`;
    const failure = await normalize(body).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InvalidPayloadError);
    expect((failure as InvalidPayloadError).issues).toEqual([{ path: '(body)', message: 'nests too deeply to derive an id' }]);
    await expect(nodeNormalize(body)).rejects.toBeInstanceOf(InvalidPayloadError);
  });

  it('canonicalJson of a value nested too deeply throws NestingTooDeepError', () => {
    expect(() => canonicalJson(nested(20_000))).toThrow(NestingTooDeepError);
    expect(canonicalJson(nested(100))).toBe(generalCanonicalJson(nested(100)));
  });
});
