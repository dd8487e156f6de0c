import type { NormalizedRegistryEvent } from '@regevents/formats';
import type { NodeMockRegistry } from '@regevents/mock-registry/node';
import { createRegistryClient, type RegistryClient } from '@regevents/registry-client';
import { freePort, vendorFixture } from '@regevents/registry-harness';
import { describe, expect, it } from 'vitest';
import { fixture, freshEnvelope, registryRequest, TOKEN, useMockRegistry } from './helpers.js';
import { createEnricher, createRelay, reconcile, RelayConfigError, type EnrichDiagnostic, type Enricher, type EnrichOptions, type Relay } from '../src/index.js';

const ENRICH_USER_AGENT = 'regevents-enrich-test';
const mocks = useMockRegistry();

async function serveMock(): Promise<{ registry: NodeMockRegistry; client: RegistryClient }> {
  const { registry, url } = await mocks.serve();
  return { registry, client: createRegistryClient({ baseUrl: url, userAgent: ENRICH_USER_AGENT }) };
}

const VENDORS = { dockerhub: { unauthenticated: true }, quay: { unauthenticated: true }, harbor: { authHeader: 'harbor-secret' } } as const;

function vendorRelay(): Relay {
  return createRelay({ auth: { bearer: TOKEN, ...VENDORS }, formats: ['distribution', 'dockerhub', 'quay', 'harbor', 'harbor-cloudevents'] });
}

/** Posts a vendor's body as it sends it; the relay answers before any enrichment. */
async function post(relay: Relay, body: string, vendor: keyof typeof VENDORS, contentType = 'application/json'): Promise<void> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (vendor === 'harbor') headers.authorization = 'harbor-secret';
  const response = await relay.fetch(new Request('http://127.0.0.1/events', { method: 'POST', headers, body }));
  expect(response.status).toBe(200);
}

interface Seen {
  event: NormalizedRegistryEvent;
  diagnostics: EnrichDiagnostic[];
}

/** What a consumer of the enriched view receives for everything in the log, and what the raw view's `artifact.pushed` handlers saw. */
async function consume(relay: Relay, enrich: EnrichOptions | Enricher): Promise<{ enriched: Seen[]; raw: NormalizedRegistryEvent[] }> {
  const enriched: Seen[] = [];
  const raw: NormalizedRegistryEvent[] = [];
  const consumer = relay.consumer(`enriched-${crypto.randomUUID()}`, { enrich });
  consumer.on('artifact.pushed', (event) => void raw.push(event));
  consumer.on('enriched', (event, { diagnostics }) => void enriched.push({ event, diagnostics }));
  await consumer.start();
  await consumer.idle();
  await consumer.stop();
  return { enriched, raw };
}

describe('the enriched view, against the mock registry', () => {
  it('fills the digest of a Docker Hub push and of each tag of a Quay push by a manifest HEAD, marked derived from the registry; the raw view is unchanged', async () => {
    const { registry, client } = await serveMock();
    const hub = await registry.pushImage('svendowideit/testhook:latest');
    const quay = await registry.pushImage('dgangaia/test:latest', { seed: 2 });
    const relay = vendorRelay();
    await post(relay, vendorFixture('dockerhub/push').text, 'dockerhub');
    await post(relay, vendorFixture('quay/repo-push').text, 'quay');
    const { enriched, raw } = await consume(relay, { client });
    expect(enriched.map(({ event, diagnostics }) => [event.registry.kind, event.repository, event.tag, event.digest, event.derived, diagnostics])).toEqual([
      ['dockerhub', 'svendowideit/testhook', 'latest', hub.manifest.digest, { digest: 'registry' }, []],
      ['quay', 'dgangaia/test', 'latest', quay.manifest.digest, { digest: 'registry' }, []],
    ]);
    expect(raw.map((event) => [event.digest, event.derived])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
    const heads = registry.events.filter((recorded) => recorded.event.action === 'pull' && recorded.event.request.method === 'HEAD');
    expect(heads.map((recorded) => recorded.event.request.useragent)).toEqual([ENRICH_USER_AGENT, ENRICH_USER_AGENT]);
  });

  it.each(['harbor/push-artifact', 'harbor-cloudevents/push-artifact'])('finds the real tag of a Harbor push (%s) that carries the digest as its tag; with two tags naming the digest it names both and picks none', async (name) => {
    const { registry, client } = await serveMock();
    const image = await registry.pushImage('harbor/alpine:3.19');
    const fixture = vendorFixture(name);
    const published = /sha256:[0-9a-f]{64}/.exec(fixture.text)?.[0] as string;
    // the published example's digest, in `digest`, `tag` and `resource_url`, becomes the pushed image's
    const body = fixture.text.replaceAll(published, image.manifest.digest);
    const relay = vendorRelay();
    await post(relay, body, 'harbor', (fixture.meta.headers as Record<string, string>)['Content-Type']);
    const first = await consume(relay, { client });
    expect(first.enriched.map(({ event, diagnostics }) => [event.tag, event.digest, event.derived, diagnostics])).toEqual([['3.19', image.manifest.digest, { tag: 'registry' }, []]]);
    expect(first.raw.map((event) => event.tag)).toEqual([undefined]);

    await registry.pushImage('harbor/alpine:latest', image);
    const second = await consume(relay, { client });
    expect(second.enriched.map(({ event, diagnostics }) => [event.tag, event.derived, diagnostics.map(({ field, reason, tags }) => ({ field, reason, tags }))])).toEqual([
      [undefined, undefined, [{ field: 'tag', reason: 'ambiguous', tags: ['3.19', 'latest'] }]],
    ]);
  });

  it('fills the digest of a distribution tag delete from the log state, marked derived from it', async () => {
    const relay = vendorRelay();
    const pushed = ['push-by-tag/001.json', 'push-by-tag/002.json', 'push-by-tag/003.json'];
    const deleted = ['delete-by-tag/001.json', 'delete-by-tag/002.json', 'delete-by-tag/003.json'];
    for (const name of [...pushed, ...deleted]) expect((await relay.fetch(registryRequest(freshEnvelope(name).body))).status).toBe(200);
    // a delete of a tag the log never saw pushed
    expect((await relay.fetch(registryRequest(freshEnvelope('delete-by-tag/003.json', 'demo/other').body))).status).toBe(200);
    const tagged = (JSON.parse(fixture('push-by-tag/003.json').body.toString()) as { events: { target: { digest: string } }[] }).events[0]?.target.digest;
    const { enriched } = await consume(relay, {});
    const deletes = enriched.filter(({ event }) => event.kind === 'tag.deleted').sort((a, b) => a.event.repository.localeCompare(b.event.repository));
    expect(deletes.map(({ event, diagnostics }) => [event.repository, event.tag, event.digest, event.derived, diagnostics.map((d) => d.reason)])).toEqual([
      ['demo/app', '1.0', tagged, { digest: 'log-state' }, []],
      ['demo/other', '1.0', undefined, undefined, ['not-found']],
    ]);
    expect(enriched.filter(({ event }) => event.derived).length).toBe(1);
  });
});

describe('reconciliation and the enriched view', () => {
  it("a tag reconciliation found gone carries the digest the state held, derived from the log state", async () => {
    const { registry, client } = await serveMock();
    const image = await registry.pushImage('team/api:1.0');
    const relay = vendorRelay();
    await reconcile({ client, relay });
    await registry.deleteImage('team/api:1.0');
    expect(await reconcile({ client, relay })).toMatchObject({ deleted: 1 });
    const { enriched } = await consume(relay, {});
    expect(enriched.map(({ event }) => [event.kind, event.tag, event.digest, event.derived])).toEqual([
      ['artifact.pushed', '1.0', image.manifest.digest, undefined],
      ['tag.deleted', '1.0', image.manifest.digest, { digest: 'log-state' }],
    ]);
  });
});

describe('when the registry cannot answer, the event goes on as it was', () => {
  async function dockerHubRecord(relay: Relay): Promise<void> {
    await post(relay, vendorFixture('dockerhub/push').text, 'dockerhub');
  }

  it('an unreachable registry: a lookup-failed diagnostic', async () => {
    const client = createRegistryClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, retry: { attempts: 1 } });
    const relay = vendorRelay();
    await dockerHubRecord(relay);
    const enricher = createEnricher({ client });
    const { enriched } = await consume(relay, enricher);
    expect(enriched.map(({ event, diagnostics }) => [event.digest, event.derived, diagnostics.map((d) => [d.field, d.reason])])).toEqual([[undefined, undefined, [['digest', 'lookup-failed']]]]);
    expect(enricher.counters()).toEqual({ enriched: 0, diagnostics: expect.objectContaining({ 'lookup-failed': 1, timeout: 0 }) });
  });

  it('a registry slower than timeoutMs: a timeout diagnostic, and the consumer does not wait for it', async () => {
    const { registry, client } = await serveMock();
    await registry.pushImage('svendowideit/testhook:latest');
    registry.failRequests({ match: { path: '/manifests/' }, latencyMs: 60_000 });
    const relay = vendorRelay();
    await dockerHubRecord(relay);
    const { enriched } = await consume(relay, { client, timeoutMs: 100 });
    expect(enriched.map(({ event, diagnostics }) => [event.digest, diagnostics.map((d) => [d.reason, d.message])])).toEqual([[undefined, [['timeout', 'the registry did not answer within 100 ms']]]]);
    registry.clearFaults();
  });

  it('no client for the registry: a no-client diagnostic; a client for another registry only is not asked', async () => {
    const relay = vendorRelay();
    await dockerHubRecord(relay);
    let asked = 0;
    const { enriched } = await consume(relay, {
      client: (origin) => {
        asked++;
        return origin.kind === 'quay' ? createRegistryClient({ baseUrl: 'http://127.0.0.1:1' }) : undefined;
      },
    });
    expect(enriched.map(({ diagnostics }) => diagnostics.map((d) => [d.reason, d.message]))).toEqual([[['no-client', 'no registry client for dockerhub (docker.io)']]]);
    expect(asked).toBe(1);
  });
});

describe('enrich options', () => {
  it("on('enriched') without enrich, or a client that is not one, is a RelayConfigError", () => {
    const relay = createRelay({ auth: { unauthenticated: true } });
    expect(() => relay.consumer('raw').on('enriched', () => undefined)).toThrow(RelayConfigError);
    expect(() => relay.consumer('bad', { enrich: { client: { baseUrl: 'http://x' } as never } })).toThrow(RelayConfigError);
    expect(() => createEnricher({ timeoutMs: 0 })).toThrow(RelayConfigError);
  });
});
