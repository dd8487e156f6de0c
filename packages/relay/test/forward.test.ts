import { serveOnLoopback, type LoopbackServer } from '@regevents/registry-harness';
import { HTTP } from 'cloudevents';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createRelay, forwardCloudEvents, forwardWebhook, RelayConfigError, type Relay } from '../src/index.js';
import { freshEnvelope, registryRequest, TOKEN, until } from './helpers.js';

interface Received {
  headers: Record<string, string>;
  body: string;
}

const servers: LoopbackServer[] = [];
afterEach(() => Promise.all(servers.splice(0).map((server) => server.close())));

/** A sink on a free port that records what it takes; `status()` decides each answer. */
async function sink(status: () => number = () => 200): Promise<{ url: string; received: Received[]; attempts: () => number }> {
  const received: Received[] = [];
  let attempts = 0;
  const server = await serveOnLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      attempts++;
      const code = status();
      if (code < 300) received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString() });
      res.writeHead(code).end();
    });
  });
  servers.push(server);
  return { url: `${server.origin}/`, received, attempts: () => attempts };
}

/** A relay holding one captured single-arch push (two blobs and the tagged manifest), with fresh ids. */
async function relayWithPush(): Promise<{ relay: Relay; ids: string[] }> {
  const relay = createRelay({ auth: { bearer: TOKEN } });
  const ids: string[] = [];
  for (const name of ['push-by-tag/001.json', 'push-by-tag/002.json', 'push-by-tag/003.json']) {
    const envelope = freshEnvelope(name);
    expect((await relay.fetch(registryRequest(envelope.body))).status).toBe(200);
    ids.push(...envelope.ids);
  }
  return { relay, ids };
}

describe('forwarding consumers', () => {
  it.each(['binary', 'structured'] as const)('forwardCloudEvents (%s): the cloudevents SDK decodes every forwarded event', async (mode) => {
    const { relay, ids } = await relayWithPush();
    const target = await sink();
    const consumer = forwardCloudEvents(relay.consumer(`ce-${mode}`), { sink: target.url, mode });
    await consumer.start();
    await consumer.idle();
    await consumer.stop();
    const decoded = target.received.map((message) => HTTP.toEvent({ headers: message.headers, body: message.body }));
    expect(decoded.map((event) => (Array.isArray(event) ? 'batch' : event.id))).toEqual(ids);
    for (const event of decoded) expect(Array.isArray(event) ? '' : event.type).toMatch(/^io\.regevents\.distribution\.push$/);
    if (mode === 'binary') expect(target.received[0]?.headers['ce-specversion']).toBe('1.0');
    else expect(target.received[0]?.headers['content-type']).toContain('application/cloudevents+json');
  });

  it('forwardWebhook: the standardwebhooks package verifies every re-signed delivery; the secret appears in no header', async () => {
    const { relay, ids } = await relayWithPush();
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const target = await sink();
    const consumer = forwardWebhook(relay.consumer('hooks'), { url: target.url, sign: secret });
    await consumer.start();
    await consumer.idle();
    await consumer.stop();
    const verifier = new Webhook(secret);
    expect(target.received.map((message) => (verifier.verify(message.body, message.headers) as { id: string }).id)).toEqual(ids);
    expect(target.received.map((message) => message.headers['webhook-id'])).toEqual(ids.map((id) => `msg_${id}`));
    expect(JSON.stringify(target.received.map((message) => message.headers))).not.toContain(secret.slice('whsec_'.length));
    const tampered = target.received[0] as Received;
    expect(() => verifier.verify(tampered.body.replace('push', 'pull'), tampered.headers)).toThrow();
  });

  it('a failing sink is retried without loss and holds up no other group', async () => {
    const { relay, ids } = await relayWithPush();
    const other = freshEnvelope('push-by-tag/003.json', 'other/app');
    await relay.fetch(registryRequest(other.body));
    let failing = true;
    const target = await sink(() => (failing ? 503 : 200));
    const forwarder = forwardWebhook(relay.consumer('hooks', { retryDelay: 20, maxAttempts: 100, concurrency: 2 }), { url: target.url, sign: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
    forwarder.onError(() => undefined);
    const handled: string[] = [];
    const audit = relay.consumer('audit').onAny((event) => void handled.push(String(event.id)));
    await Promise.all([forwarder.start(), audit.start()]);
    await audit.idle();
    expect(handled.sort()).toEqual([...ids, ...other.ids].sort()); // while the sink fails
    // retried while it fails (how many retries fit in the audit group's run depends on the machine's load): until throws if no second attempt comes
    await until(() => target.attempts() >= 2, 'a second attempt at the failing sink');
    failing = false;
    await forwarder.idle();
    await Promise.all([forwarder.stop(), audit.stop()]);
    const delivered = target.received.map((message) => (JSON.parse(message.body) as { id: string }).id);
    expect(new Set(delivered)).toEqual(new Set([...ids, ...other.ids]));
    expect(await relay.deadLetters('hooks').list()).toEqual([]);
  });

  it("view 'enriched': a tag delete reaches the sink normalized, with the digest the log state held", async () => {
    const { relay, ids } = await relayWithPush();
    const deleted = freshEnvelope('delete-by-tag/003.json');
    expect((await relay.fetch(registryRequest(deleted.body))).status).toBe(200);
    const target = await sink();
    const consumer = forwardCloudEvents(relay.consumer('ce-enriched', { enrich: {} }), { sink: target.url, view: 'enriched' });
    await consumer.start();
    await consumer.idle();
    await consumer.stop();
    const decoded = target.received.map((message) => HTTP.toEvent({ headers: message.headers, body: message.body }));
    const events = decoded.map((event) => (Array.isArray(event) ? undefined : (event.data as { kind: string; digest?: string; derived?: unknown })));
    const pushed = events.find((event) => event?.kind === 'artifact.pushed');
    expect(pushed?.digest).toMatch(/^sha256:/);
    expect(events).toHaveLength(ids.length + deleted.ids.length);
    expect(events.filter((event) => event?.kind === 'tag.deleted')).toEqual([expect.objectContaining({ digest: pushed?.digest, derived: { digest: 'log-state' } })]);
  });

  it("view 'enriched' on a consumer without enrich is refused with RelayConfigError", () => {
    const relay = createRelay({ auth: { unauthenticated: true } });
    expect(() => forwardWebhook(relay.consumer('plain'), { url: 'http://x', sign: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', view: 'enriched' })).toThrow(RelayConfigError);
  });

  it('refuses a bad sink, mode or secret with RelayConfigError', () => {
    const relay = createRelay({ auth: { unauthenticated: true } });
    expect(() => forwardCloudEvents(relay.consumer('a'), { sink: 'not a url' })).toThrow(RelayConfigError);
    expect(() => forwardCloudEvents(relay.consumer('b'), { sink: 'http://x', mode: 'batch' as never })).toThrow(RelayConfigError);
    expect(() => forwardWebhook(relay.consumer('c'), { url: 'http://x', sign: '' })).toThrow(RelayConfigError);
    expect(() => forwardCloudEvents(relay.consumer('d'), { sink: 'http://x', view: 'raw' as never })).toThrow(RelayConfigError);
  });
});
