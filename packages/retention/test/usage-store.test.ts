import { requirePeers, startRedis, type RunningRedis } from '@regevents/registry-harness';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayConfigError } from '@regevents/relay';
import { createMemoryUsageStore, createRedisUsageStore, type UsageStore } from '../src/index.js';

const peers = requirePeers('redis-server');
let redis: RunningRedis | undefined;
let client: ReturnType<typeof createClient> | undefined;
let prefixes = 0;

beforeAll(async () => {
  if (!peers.available) return;
  redis = await startRedis();
  client = createClient({ url: redis.url });
  client.on('error', () => undefined);
  await client.connect();
});
afterAll(async () => {
  await client?.quit();
  await redis?.stop();
});

const stores: [string, () => UsageStore][] = [
  ['memory', () => createMemoryUsageStore()],
  ['redis', () => createRedisUsageStore({ client: client!, prefix: `test:usage:${++prefixes}` })],
];

describe.each(stores)('%s usage store', (name, makeStore) => {
  const skip = name === 'redis' && !peers.available;

  it.skipIf(skip)('keeps the first push of a manifest, the last push of a tag, and moves the tag with it', async () => {
    const store = makeStore();
    await store.recordPush('app', { digest: 'sha256:a', tag: 'latest', at: 1000, mediaType: 'm', size: 10, references: [] });
    await store.recordPush('app', { digest: 'sha256:a', tag: 'latest', at: 5000 });
    await store.recordPush('app', { digest: 'sha256:b', tag: 'latest', at: 9000 });
    const usage = await store.repository('app');
    expect(usage.manifests.get('sha256:a')).toMatchObject({ pushedAt: 1000, pushedAtSource: 'push-event', size: 10, pulls: 0 });
    expect(usage.tags.get('latest')).toMatchObject({ digest: 'sha256:b', pushedAt: 9000 });
    expect(await store.repositories()).toEqual(['app']);
  });

  it.skipIf(skip)('counts pulls, keeps the latest pull time whatever the order, and marks a manifest first seen by a pull', async () => {
    const store = makeStore();
    await store.recordPull('app', { digest: 'sha256:c', tag: 'v1', at: 7000 });
    await store.recordPull('app', { digest: 'sha256:c', tag: 'v1', at: 3000 });
    const usage = await store.repository('app');
    expect(usage.manifests.get('sha256:c')).toMatchObject({ pulls: 2, lastPulledAt: 7000, pushedAt: 7000, pushedAtSource: 'first-event' });
    expect(usage.tags.get('v1')).toMatchObject({ pulls: 2, lastPulledAt: 7000, digest: 'sha256:c' });
  });

  it.skipIf(skip)('forgets deleted tags and manifests', async () => {
    const store = makeStore();
    await store.recordPush('app', { digest: 'sha256:d', tag: 'old', at: 1 });
    await store.recordDelete('app', { tag: 'old' });
    await store.recordDelete('app', { digest: 'sha256:d' });
    const usage = await store.repository('app');
    expect(usage.tags.size + usage.manifests.size).toBe(0);
  });

  it.skipIf(skip)('hands out a snapshot that later records leave as it was', async () => {
    const store = makeStore();
    await store.recordPush('app', { digest: 'sha256:g', tag: 'v1', at: 1 });
    const before = await store.repository('app');
    await store.recordPull('app', { digest: 'sha256:g', tag: 'v1', at: 2 });
    await store.recordPush('app', { digest: 'sha256:h', tag: 'v2', at: 3 });
    await store.recordDelete('app', { tag: 'v1' });
    expect([...before.tags.keys()]).toEqual(['v1']);
    expect([...before.manifests.keys()]).toEqual(['sha256:g']);
    expect(before.tags.get('v1')?.pulls).toBe(0);
    const after = await store.repository('app');
    expect([...after.tags.keys()]).toEqual(['v2']);
    expect(after.manifests.get('sha256:g')).toMatchObject({ pulls: 1, lastPulledAt: 2 });
  });

  it.skipIf(skip)('loses no pull when many consumers update one repository at once', async () => {
    const store = makeStore();
    await Promise.all(Array.from({ length: 60 }, (_, i) => store.recordPull('busy', { digest: 'sha256:e', tag: `t${i % 3}`, at: i })));
    const usage = await store.repository('busy');
    expect(usage.manifests.get('sha256:e')?.pulls).toBe(60);
    expect([...usage.tags.values()].reduce((sum, tag) => sum + tag.pulls, 0)).toBe(60);
  });
});

it('the Redis store refuses a missing client with a clear error', () => {
  expect(() => createRedisUsageStore({ client: {} as never })).toThrow(RelayConfigError);
});

it.skipIf(!peers.available)('two Redis stores on one prefix (two consumers) lose no update: compare-and-set retries', async () => {
  const prefix = `test:usage:shared:${++prefixes}`;
  const [a, b] = [createRedisUsageStore({ client: client!, prefix }), createRedisUsageStore({ client: client!, prefix })];
  await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).recordPull('shared', { digest: 'sha256:f', at: i })));
  expect((await a.repository('shared')).manifests.get('sha256:f')).toMatchObject({ pulls: 40, lastPulledAt: 39 });
});
