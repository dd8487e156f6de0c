import { createMockRegistry } from '@regevents/mock-registry/node';
import { createRegistryClient } from '@regevents/registry-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMemoryUsageStore, createUsageTracker, parseRetentionPolicy, plan, type UsageStore } from '../src/index.js';

const TAGS = 40;
const IMAGES = 4;
const registry = createMockRegistry({ notifications: { events: { includeReferences: true }, endpoints: [] } });
let server: Awaited<ReturnType<typeof registry.serve>>;
const { policy } = parseRetentionPolicy("policies:\n  - repositories: ['**']\n    rules:\n      - keep: { last: 3 }\n      - remove: { olderThan: 1h }\n");

beforeAll(async () => {
  server = await registry.serve();
  const images = [];
  for (let i = 0; i < IMAGES; i++) images.push(await registry.pushImage(`app:seed-${i}`, { seed: i + 1 }));
  for (let t = 0; t < TAGS; t++) await registry.pushImage(`app:build-${t}`, images[t % IMAGES]!);
});
afterAll(async () => {
  registry.close();
  await server.close();
});

/** A client counting its requests as `METHOD kind`, and a store counting its reads. */
function counted(store?: UsageStore) {
  const requests: Record<string, number> = {};
  const client = createRegistryClient({
    baseUrl: server.url,
    fetch: (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      const kind = `${init?.method ?? 'GET'} ${/\/tags\/list/.test(url) ? 'tags' : /\/manifests\//.test(url) ? 'manifest' : /\/blobs\//.test(url) ? 'blob' : 'other'}`;
      requests[kind] = (requests[kind] ?? 0) + 1;
      return fetch(input, init);
    },
  });
  const reads: string[] = [];
  const countedStore = store && { ...store, repository: (name: string) => (reads.push(name), store.repository(name)) };
  return { client, requests, reads, store: countedStore };
}

it('without history: one HEAD a tag, and one manifest GET and one config GET a digest, however many tags share it', async () => {
  const { client, requests } = counted();
  const planned = await plan(policy!, { client, repositories: ['app'], concurrency: 3 });
  expect(planned.summary.tags.kept + planned.summary.tags.removed).toBe(TAGS + IMAGES);
  expect(requests).toEqual({ 'GET tags': 1, 'HEAD manifest': TAGS + IMAGES, 'GET manifest': IMAGES, 'GET blob': IMAGES });
});

it('with the tracker’s history: the listing and one read of the store a repository, no manifest or blob request', async () => {
  const usage = createMemoryUsageStore();
  const tracker = createUsageTracker({ store: usage });
  for (const recorded of registry.events) await tracker.record(recorded.event);
  const { client, requests, reads, store } = counted(usage);
  await plan(policy!, { client, store, repositories: ['app'] });
  expect(requests).toEqual({ 'GET tags': 1 });
  expect(reads).toEqual(['app']);
});
