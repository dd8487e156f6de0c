import { capturedBodies } from '@regevents/registry-harness';
import type { Envelope, Event } from '@regevents/types';
import { describe, expect, it } from 'vitest';
import { shouldDeliver, type EndpointConfig, type RegistryVersion } from '../src/index.js';

/** Every event the real registry sent while the fixtures were captured. */
const captured: Event[] = capturedBodies().flatMap((body) => (JSON.parse(body.body.toString('utf8')) as Envelope).events);

const endpoint = (ignore: Partial<EndpointConfig['ignore']>, disabled = false) => ({ disabled, ignore: { mediaTypes: [], actions: [], ...ignore } });
const delivered = (config: ReturnType<typeof endpoint>, version: RegistryVersion) => captured.filter((event) => shouldDeliver(config, event, { version }));

describe('shouldDeliver on the captured events', () => {
  it('covers every action and both blob and manifest targets', () => {
    expect(new Set(captured.map((event) => event.action))).toEqual(new Set(['push', 'pull', 'delete', 'mount']));
  });

  it('an endpoint without filters gets everything; a disabled one nothing', () => {
    expect(delivered(endpoint({}), '2.8')).toHaveLength(captured.length);
    expect(delivered(endpoint({}, true), '2.8')).toHaveLength(0);
  });

  it.each<RegistryVersion>(['2.8', '3.0', '3.1', '3'])('ignored media types drop exact matches only (%s)', (version) => {
    const kept = delivered(endpoint({ mediaTypes: ['application/octet-stream'] }), version);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((event) => event.target.mediaType !== 'application/octet-stream')).toBe(true);
    expect(kept).toHaveLength(captured.filter((event) => event.target.mediaType !== 'application/octet-stream').length);
    expect(delivered(endpoint({ mediaTypes: ['APPLICATION/OCTET-STREAM'] }), version)).toHaveLength(captured.length);
  });

  it.each<RegistryVersion>(['2.8', '3.0'])('before 3.1, ignore.actions alone filters nothing (%s)', (version) => {
    expect(delivered(endpoint({ actions: ['pull', 'mount'] }), version)).toHaveLength(captured.length);
  });

  it.each<RegistryVersion>(['2.8', '3.0', '3.1', '3'])('ignore.actions works once any media type is ignored (%s)', (version) => {
    const kept = delivered(endpoint({ mediaTypes: ['application/x-none'], actions: ['pull', 'mount'] }), version);
    expect(kept).toHaveLength(captured.filter((event) => event.action !== 'pull' && event.action !== 'mount').length);
  });

  it.each<RegistryVersion>(['3.1', '3'])('from 3.1, ignore.actions alone filters (%s)', (version) => {
    expect(delivered(endpoint({ actions: ['pull'] }), version)).toHaveLength(captured.filter((event) => event.action !== 'pull').length);
  });

  it('a 2.x tag delete has no media type, which Go compares as ""', () => {
    const tagDeletes = captured.filter((event) => event.action === 'delete' && 'tag' in event.target && event.target.tag !== undefined);
    expect(tagDeletes.length).toBeGreaterThan(0);
    expect(tagDeletes.every((event) => !shouldDeliver(endpoint({ mediaTypes: [''] }), event))).toBe(true);
  });

  it('defaults to 2.8 semantics', () => {
    const pull = captured.find((event) => event.action === 'pull') as Event;
    expect(shouldDeliver(endpoint({ actions: ['pull'] }), pull)).toBe(true);
  });
});
