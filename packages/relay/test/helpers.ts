import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePeers, sleep, startRedis, until, type RunningRedis, type StartRedisOptions } from '@regevents/registry-harness';
import { createClient } from 'redis';
import { createMockRegistry, type NodeMockRegistry } from '@regevents/mock-registry/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

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

/** A redis-server and a client for the tests of the enclosing describe; read them inside tests, once started. */
export function useRedis(options: StartRedisOptions = {}): { redis: RunningRedis; client: RedisClient } {
  const started = {} as { redis: RunningRedis; client: RedisClient };
  beforeAll(async () => {
    started.redis = await startRedis(options);
    started.client = await connect(started.redis.url);
  });
  afterAll(async () => {
    await started.client?.quit().catch(() => undefined);
    await started.redis?.stop();
  });
  return started;
}

/** A scratch folder for the tests of the enclosing describe. */
export function useWorkDir(prefix: string): { path: string } {
  const dir = { path: '' };
  beforeAll(async () => {
    dir.path = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(() => rm(dir.path, { recursive: true, force: true }));
  return dir;
}

export { sleep, until };

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

/** `serve()` starts a mock registry on loopback for one test; it is closed after the test. */
export function useMockRegistry(): { serve: () => Promise<{ registry: NodeMockRegistry; url: string }> } {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });
  return {
    async serve() {
      const registry = createMockRegistry();
      const server = await registry.serve();
      close = async () => {
        registry.close();
        await server.close();
      };
      return { registry, url: server.url };
    },
  };
}
