import { capturedBodies } from '@regevents/registry-harness';
import { normalizedEventJsonSchema, parseEnvelope, validateNormalizedEvent } from '@regevents/schemas';
import { CloudEvent as SdkCloudEvent, HTTP } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { DISTRIBUTION_EVENT_SCHEMA, InvalidCloudEventError, NORMALIZED_EVENT_SCHEMA, NORMALIZED_KINDS, REGISTRY_KINDS, fromCloudEvent, fromHttp, normalize, toCloudEvent, toHttpBatch, toHttpBinary, toHttpStructured, type CloudEvent } from '../src/index.js';
import { fixture, vendorFixtures } from './fixtures.js';

const distributionEvents = capturedBodies().flatMap((body) => parseEnvelope(body.body).events.map((event) => ({ name: body.name, event })));

/** What the official SDK reads from our HTTP message, as a plain object. */
function sdkRead(message: { headers: Record<string, string>; body: string }): Record<string, unknown> {
  const read = HTTP.toEvent({ headers: message.headers, body: message.body }) as SdkCloudEvent<unknown> | SdkCloudEvent<unknown>[];
  if (Array.isArray(read)) throw new Error('expected one event');
  return read.toJSON();
}

describe('CloudEvents', () => {
  it('there are captured distribution events to test with', () => {
    expect(distributionEvents.length).toBeGreaterThan(10);
  });

  it.each(distributionEvents.map(({ name, event }) => [name, event] as const))('%s: distribution event -> CloudEvent -> binary and structured -> SDK -> back', async (_name, event) => {
    const ce = toCloudEvent(event);
    expect(ce.type).toBe(`io.regevents.distribution.${event.action}`);
    expect(ce.id).toBe(event.id);
    expect(ce.dataschema).toBe(DISTRIBUTION_EVENT_SCHEMA);
    const tag = 'tag' in event.target ? event.target.tag : undefined;
    expect(ce.subject).toBe(tag ? `${event.target.repository}:${tag}` : event.target.repository);
    expect(ce.source).toBe(`//${event.request.host}`);
    expect(ce.data).toEqual(event);

    for (const encode of [toHttpBinary, toHttpStructured]) {
      const sdkEvent = sdkRead(encode(ce));
      expect(sdkEvent['id']).toBe(ce.id);
      expect(sdkEvent['type']).toBe(ce.type);
      expect(sdkEvent['source']).toBe(ce.source);
      expect(sdkEvent['subject']).toBe(ce.subject);
      expect(sdkEvent['dataschema']).toBe(ce.dataschema);
      expect(sdkEvent['registrykind']).toBe('distribution');
      expect(new Date(sdkEvent['time'] as string).toISOString()).toBe(ce.time);
      expect(sdkEvent['data']).toEqual(event);

      // The reverse: the SDK encodes, we decode, and the event comes back unchanged.
      const again = new SdkCloudEvent(sdkEvent as ConstructorParameters<typeof SdkCloudEvent>[0]);
      for (const message of [HTTP.binary(again), HTTP.structured(again)]) {
        const [decoded] = fromHttp({ headers: message.headers as Record<string, string>, body: String(message.body) });
        const [normalized] = await fromCloudEvent(decoded);
        expect(normalized?.id).toBe(event.id);
        expect(normalized?.raw).toEqual(event);
      }
    }
  });

  it('normalized events round trip through the SDK and back to equal normalized events', async () => {
    for (const f of vendorFixtures().filter((candidate) => candidate.folder !== 'harbor-policy')) {
      for (const event of await normalize(f.text, f.meta['headers'] as Record<string, string> | undefined)) {
        const ce = toCloudEvent(event);
        expect(ce.type, f.name).toBe(`io.regevents.${event.kind}`);
        expect(ce.dataschema).toBe(NORMALIZED_EVENT_SCHEMA);
        const checked = validateNormalizedEvent(ce.data);
        expect(checked.ok ? [] : checked.issues, `${f.name}: data validates against the published schema`).toEqual([]);
        const sdk = new SdkCloudEvent(sdkRead(toHttpBinary(ce)) as ConstructorParameters<typeof SdkCloudEvent>[0]);
        const [decoded] = fromHttp({ headers: HTTP.structured(sdk).headers as Record<string, string>, body: String(HTTP.structured(sdk).body) });
        expect(await fromCloudEvent(decoded), f.name).toEqual([event]);
      }
    }
  });

  it('the published normalized schema is the model: its $id is the dataschema, its enums the kinds', () => {
    expect(normalizedEventJsonSchema['$id']).toBe(NORMALIZED_EVENT_SCHEMA);
    const properties = normalizedEventJsonSchema['properties'] as { kind: { enum: string[] }; registry: { properties: { kind: { enum: string[] } } } };
    expect(properties.kind.enum).toEqual([...NORMALIZED_KINDS]);
    expect(properties.registry.properties.kind.enum).toEqual([...REGISTRY_KINDS]);
  });

  it('normalized distribution events validate against the published schema as CloudEvent data', async () => {
    for (const body of capturedBodies()) {
      for (const event of await normalize(body.body)) {
        const checked = validateNormalizedEvent({ ...event, occurredAt: event.occurredAt.toISOString() });
        expect(checked.ok ? [] : checked.issues, body.name).toEqual([]);
      }
    }
  });

  it('batch mode carries several events and decodes back', () => {
    const events = distributionEvents.slice(0, 3).map(({ event }) => toCloudEvent(event));
    const message = toHttpBatch(events);
    expect(message.headers['content-type']).toMatch(/^application\/cloudevents-batch\+json/);
    const sdkEvents = HTTP.toEvent({ headers: message.headers, body: message.body });
    expect(Array.isArray(sdkEvents) ? sdkEvents.map((e) => e.id) : []).toEqual(events.map((e) => e.id));
    expect(fromHttp(message)).toEqual(events);
  });

  it.each(vendorFixtures().filter((f) => f.folder === 'harbor-cloudevents').map((f) => [f.name, f] as const))('%s: fromCloudEvent reads Harbor CloudEvents, also through the SDK', async (_name, f) => {
    const harborEvent = JSON.parse(f.text) as CloudEvent;
    const direct = await fromCloudEvent(harborEvent);
    expect(direct).toEqual(await normalize(f.text, { 'content-type': 'application/cloudevents+json' }));
    const viaSdk = sdkRead({ headers: { 'content-type': 'application/cloudevents+json' }, body: f.text });
    expect(viaSdk['operator']).toBe(harborEvent['operator']);
    expect((await fromCloudEvent(viaSdk)).map((e) => e.id)).toEqual(direct.map((e) => e.id));
  });

  it("says what is wrong with a normalized CloudEvent's data, under data.", async () => {
    const [event] = await normalize(fixture('acr/push').text);
    const ce = toCloudEvent(event as NonNullable<typeof event>);
    const data = ce.data as Record<string, unknown>;
    const bad = await fromCloudEvent({ ...ce, data: { ...data, occurredAt: 'yesterday', registry: { kind: 'nexus' } } }).catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(InvalidCloudEventError);
    expect((bad as InvalidCloudEventError).issues).toEqual([
      { path: 'data.registry.kind', message: 'must be equal to one of the allowed values' },
      { path: 'data.occurredAt', message: 'must be an RFC 3339 timestamp such as 2024-05-01T12:00:00.000Z' },
    ]);
    const mislabelled = await fromCloudEvent({ ...ce, type: 'io.regevents.artifact.deleted' }).catch((error: unknown) => error);
    expect((mislabelled as InvalidCloudEventError).issues).toEqual([{ path: 'data.kind', message: 'must be artifact.deleted, as the type says' }]);
  });

  it('percent-encodes header values the HTTP binding requires and decodes them back', () => {
    const ce: CloudEvent = { specversion: '1.0', id: 'a b"c%d', source: '//registry.example.com', type: 'io.regevents.artifact.pushed', subject: 'repo:tag é' };
    const message = toHttpBinary(ce);
    expect(message.headers['ce-id']).toBe('a%20b%22c%25d');
    expect(fromHttp(message)[0]).toEqual(ce);
  });

  it('rejects what is not a CloudEvent with a typed error', async () => {
    expect(() => fromHttp({ headers: { 'content-type': 'application/json' }, body: '{}' })).toThrow(InvalidCloudEventError);
    expect(() => fromHttp({ headers: { 'content-type': 'application/cloudevents+json' }, body: '{"specversion":"0.3"}' })).toThrow(InvalidCloudEventError);
    expect(() => fromHttp({ headers: { 'content-type': 'application/cloudevents-batch+json' }, body: '{}' })).toThrow(InvalidCloudEventError);
    await expect(fromCloudEvent({ specversion: '1.0', id: '1', source: '/x', type: 'com.example.other' })).rejects.toThrow(InvalidCloudEventError);
    await expect(fromCloudEvent({ specversion: '1.0', id: '1', source: '/x', type: 'io.regevents.artifact.pushed', data: { nope: true } })).rejects.toThrow(InvalidCloudEventError);
    await expect(fromCloudEvent({ specversion: '1.0', id: '1', source: '/x', type: 'io.regevents.artifact.exploded' })).rejects.toThrow(/unknown CloudEvent type/);
    await expect(fromCloudEvent({ ...(JSON.parse(fixture('harbor-cloudevents/delete-artifact').text) as object), data: { resources: 'no' } })).rejects.toThrow(InvalidCloudEventError);
  });
});
