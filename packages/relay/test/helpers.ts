import { requirePeers, startRedis, type RunningRedis } from '@regevents/registry-harness';
import { createClient } from 'redis';

export type RedisClient = ReturnType<typeof createClient>;

export const redisPeer = requirePeers('redis-server');

let streams = 0;
/** A fresh stream name per test on a shared server. */
export function freshStream(): string {
  return `test:${process.pid}:${++streams}`;
}

export async function connect(url: string): Promise<RedisClient> {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export type { RunningRedis };
export { startRedis };

import { capturedBodies, type CapturedBody } from '@regevents/registry-harness';
import { EVENTS_MEDIA_TYPE_V1 } from '@regevents/types';

export const TOKEN = 'relay-test-token-5b2e';

/** A captured body by name (`push-by-tag/003.json`). */
export function fixture(suffix: string): CapturedBody {
  const found = capturedBodies().find((f) => f.name.endsWith(suffix));
  if (!found) throw new Error(`no captured fixture ${suffix}`);
  return found;
}

/** A captured envelope with fresh event ids (and optionally another repository), as new events. */
export function freshEnvelope(suffix: string, repository?: string): { body: string; ids: string[] } {
  const envelope = JSON.parse(fixture(suffix).body.toString()) as { events: { id: string; target: { repository: string } }[] };
  for (const event of envelope.events) {
    event.id = crypto.randomUUID();
    if (repository) event.target.repository = repository;
  }
  return { body: JSON.stringify(envelope), ids: envelope.events.map((event) => event.id) };
}

/** A POST as the registry sends it. */
export function registryRequest(body: string, token = TOKEN, url = 'http://127.0.0.1/events'): Request {
  return new Request(url, { method: 'POST', headers: { 'content-type': EVENTS_MEDIA_TYPE_V1, authorization: `Bearer ${token}` }, body });
}
