import { describe, expect, it } from 'vitest';
import { InvalidPayloadError, normalize, RegEventsFormatError, UnrecognizedFormatError } from '../src/index.js';
import { fixture } from './fixtures.js';

const harbor = JSON.parse(fixture('harbor/push-artifact').text) as Record<string, unknown>;

const unrecognized: [string, unknown][] = [
  ['empty string', ''],
  ['not JSON', '{"events":'],
  ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
  ['a number', 42],
  ['null', null],
  ['an array', [1, 2, 3]],
  ['an unknown object', { hello: 'world' }],
  ['a CloudEvent of an unknown type', { specversion: '1.0', id: '1', source: '/x', type: 'com.example.thing' }],
  ['a function', () => 1],
  ['a huge body', 'x'.repeat(2 * 1024 * 1024)],
  ['JSON that parses to a string', '"harbor"'],
];

const invalid: [string, unknown][] = [
  ['a distribution envelope with a bad event', { events: [{ action: 'push' }] }],
  ['a Harbor payload without event_data', { type: 'PUSH_ARTIFACT', occur_at: 1, operator: 'x' }],
  ['a Harbor payload with a negative time', { ...harbor, occur_at: -5 }],
  ['a Harbor payload of a type Harbor does not send', { ...harbor, type: 'PUSH_IMAGE' }],
  ['a Harbor payload with resources of the wrong type', { ...harbor, event_data: { resources: 'all', repository: {} } }],
  ['an ACR event whose target has no repository', { id: '1', timestamp: 't', action: 'push', target: {} }],
  ['an ECR event without detail', { 'detail-type': 'ECR Image Action', source: 'aws.ecr', id: '1', time: 't' }],
  ['a GAR push envelope whose data is not base64 JSON', { message: { data: 'bm90IGpzb24=' } }],
  ['a GAR push envelope whose data is not base64 at all', { message: { data: '***' } }],
  ['a Docker Hub payload whose pushed_at is a string', { push_data: { pushed_at: 'yesterday', tag: 'x' }, repository: { repo_name: 'a/b' } }],
  ['an Artifactory envelope whose data is JSON garbage', { domain: 'docker', event_type: 'pushed', data: '{nope' }],
  ['a Harbor payload nested very deep', { ...harbor, event_data: { ...(harbor['event_data'] as object), custom_attributes: JSON.parse('{"a":'.repeat(5000) + '1' + '}'.repeat(5000)) as object } }],
];

describe('hostile input', () => {
  it.each(unrecognized)('%s gives UnrecognizedFormatError', async (_name, body) => {
    await expect(normalize(body)).rejects.toBeInstanceOf(UnrecognizedFormatError);
  });

  it.each(invalid)('%s gives InvalidPayloadError', async (_name, body) => {
    const error = await normalize(body).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidPayloadError);
    expect((error as InvalidPayloadError).issues.length).toBeGreaterThan(0);
  });

  it('a Harbor-shaped body with an unknown type is read as Harbor, so the error names the types Harbor sends', async () => {
    const error = await normalize({ ...harbor, type: 'PUSH_IMAGE' }).catch((caught: unknown) => caught);
    expect((error as InvalidPayloadError).format).toBe('harbor');
    expect((error as InvalidPayloadError).issues).toEqual([{ path: 'type', message: expect.stringMatching(/^must be one of PUSH_ARTIFACT, .* \(got "PUSH_IMAGE"\)$/) }]);
    // a type and a time alone are not Harbor's shape
    await expect(normalize({ type: 'PUSH_IMAGE', occur_at: 1 })).rejects.toBeInstanceOf(UnrecognizedFormatError);
  });

  it('a format outside the allowed list is refused, not normalized', async () => {
    await expect(normalize(fixture('quay/repo-push').text, undefined, { formats: ['harbor', 'distribution'] })).rejects.toThrow(/quay, which is not among the accepted formats/);
  });

  it('a prototype-polluting body is refused, as distribution envelopes are, and changes nothing', async () => {
    const body = `{"__proto__":{"polluted":true},${fixture('harbor/push-artifact').text.trim().slice(1)}`;
    const error = await normalize(body).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidPayloadError);
    expect((error as InvalidPayloadError).issues[0]).toEqual({ path: '__proto__', message: 'is a forbidden key (prototype pollution)' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('random byte strings never crash normalize: they are parsed or refused with a typed error', async () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let round = 0; round < 300; round++) {
      const source = fixture(round % 2 ? 'harbor/replication' : 'acr/push').text;
      const bytes = new TextEncoder().encode(source);
      for (let flips = 0; flips < 3; flips++) bytes[next() % bytes.length] = next() % 256;
      const outcome = await normalize(bytes).then(
        (events) => events,
        (error: unknown) => error,
      );
      if (!Array.isArray(outcome)) expect(outcome).toBeInstanceOf(RegEventsFormatError);
    }
  });
});
