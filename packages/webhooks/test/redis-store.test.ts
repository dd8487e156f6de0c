import { requirePeers, startRedis, type RunningRedis } from '@regevents/registry-harness';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisDedupeStore, createWebhookHandler, WebhookConfigError } from '../src/index.js';
import { dedupeStoreContract } from './store-contract.js';
import { deliver, fixture } from './helpers.js';

const peers = requirePeers('redis-server');

describe.skipIf(!peers.available)('Redis store against a real redis-server', () => {
  let redis: RunningRedis;
  let client: ReturnType<typeof createClient>;
  let second: ReturnType<typeof createClient>;
  beforeAll(async () => {
    redis = await startRedis();
    client = await createClient({ url: redis.url }).connect();
    second = await createClient({ url: redis.url }).connect();
  });
  afterAll(async () => {
    await client?.quit();
    await second?.quit();
    await redis?.stop();
  });

  dedupeStoreContract(async () => {
    await client.flushAll();
    return createRedisDedupeStore({ client });
  });

  it('sets the lease and the done record with expiries, under the prefix', async () => {
    const store = createRedisDedupeStore({ client, keyPrefix: 'test:' });
    const claim = await store.claim('ttl', 5_000);
    expect(claim.status).toBe('claimed');
    const leaseTtl = await client.pTTL('test:ttl');
    expect(leaseTtl).toBeGreaterThan(0);
    expect(leaseTtl).toBeLessThanOrEqual(5_000);
    if (claim.status === 'claimed') await store.complete('ttl', claim.token, 60_000);
    expect(await client.get('test:ttl')).toBe('done');
    expect(await client.pTTL('test:ttl')).toBeGreaterThan(5_000);
  });

  it('a lapsed lease (a receiver died mid-handler) lets the next delivery run', async () => {
    const store = createRedisDedupeStore({ client });
    expect((await store.claim('lapse', 50)).status).toBe('claimed');
    let next = await store.claim('lapse', 50);
    for (let i = 0; i < 100 && next.status !== 'claimed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      next = await store.claim('lapse', 60_000);
    }
    expect(next.status).toBe('claimed');
  });

  it('two receivers sharing Redis run a redelivered event once', async () => {
    const body = fixture('push-by-tag/003.json').body;
    await client.flushAll();
    const runs: string[] = [];
    const receiver = (name: string, connection: typeof client) =>
      createWebhookHandler({ auth: { unauthenticated: true }, dedupe: { store: createRedisDedupeStore({ client: connection }) } }).on('push', () => void runs.push(name));
    const a = receiver('a', client);
    const b = receiver('b', second);
    const responses = await Promise.all([deliver(a, body), deliver(b, body)]);
    const statuses = responses.map((r) => r.status).sort();
    // one runs it; the other either saw it done (200) or in flight (503, the registry retries)
    expect(statuses[0]).toBe(200);
    expect([200, 503]).toContain(statuses[1]);
    expect((await deliver(b, body)).status).toBe(200);
    expect((await deliver(a, body)).status).toBe(200);
    expect(runs).toHaveLength(1);
  });

  it('works with an ioredis-style client (call)', async () => {
    const ioredisLike = { call: (command: string, ...args: string[]) => client.sendCommand([command, ...args]) };
    const store = createRedisDedupeStore({ client: ioredisLike });
    expect((await store.claim('io', 1_000)).status).toBe('claimed');
    expect((await store.claim('io', 1_000)).status).toBe('in-flight');
  });
});

describe('createRedisDedupeStore', () => {
  it('explains what client it needs', () => {
    expect(() => createRedisDedupeStore({ client: {} as never })).toThrow(WebhookConfigError);
  });
});
