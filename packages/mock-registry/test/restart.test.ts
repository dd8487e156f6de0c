import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EndpointConfig } from '@regevents/config';
import { createMockRegistry, MemoryStorage, type MockRegistry, type StorageDriver } from '../src/index.js';
import { FileSystemStorage } from '../src/node/index.js';

const endpoint: EndpointConfig = { name: 'app', disabled: false, url: 'http://app.test/events', headers: {}, timeoutMs: 1000, threshold: 1, backoffMs: 50, ignore: { mediaTypes: [], actions: [] } };

/** An endpoint answering `status` to every delivery, keeping the bodies it was sent. */
function endpointAnswering(status: number) {
  const bodies: string[] = [];
  const fetchImpl = async (_input: RequestInfo | URL, init?: RequestInit) => {
    bodies.push(String(init?.body));
    return new Response(null, { status });
  };
  return { bodies, fetch: fetchImpl as typeof fetch };
}

const registryOver = (storage: StorageDriver, fetch: typeof globalThis.fetch) => createMockRegistry({ storage, fetch, notifications: { events: { includeReferences: false }, endpoints: [endpoint] } });
const metricsOf = (registry: MockRegistry) => registry.debugVars().registry.notifications.endpoints[0]?.Metrics;
const get = async (registry: MockRegistry, path: string) => {
  const response = await registry.handle(new Request(`${registry.baseUrl}${path}`, { method: path.includes('/blobs/uploads/') ? 'PATCH' : 'GET' }));
  return { status: response.status, body: await response.text() };
};

let directories: string[] = [];
afterEach(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
  directories = [];
});

const drivers: [string, () => Promise<StorageDriver>][] = [
  ['MemoryStorage', async () => new MemoryStorage()],
  [
    'FileSystemStorage',
    async () => {
      const directory = await mkdtemp(join(tmpdir(), 'mock-restart-'));
      directories.push(directory);
      return new FileSystemStorage(directory);
    },
  ],
];

describe.each(drivers)('a registry restarted over its %s', (_name, driver) => {
  it('keeps repositories, tags and blobs, and loses the notification queue and the upload sessions', async () => {
    const storage = await driver();
    const down = endpointAnswering(503);
    const before = registryOver(storage, down.fetch);
    const pushed = await before.pushImage('demo/app:1.0', { layers: 2, seed: 7 });
    await before.pushImage('demo/other:2.0', { seed: 8 });
    const upload = await before.handle(new Request(`${before.baseUrl}/v2/demo/app/blobs/uploads/`, { method: 'POST' }));
    expect(upload.status).toBe(202);
    const queued = metricsOf(before)?.Pending;
    expect(queued).toBe(before.events.length);
    expect(queued).toBeGreaterThan(0);
    before.close();

    const up = endpointAnswering(200);
    const after = registryOver(storage, up.fetch);
    // a new process: its counters start at zero, and nothing of the old queue is sent
    expect(metricsOf(after)).toMatchObject({ Pending: 0, Events: 0, Successes: 0 });
    expect(JSON.parse((await get(after, '/v2/_catalog')).body)).toEqual({ repositories: ['demo/app', 'demo/other'] });
    expect(JSON.parse((await get(after, '/v2/demo/app/tags/list')).body)).toEqual({ name: 'demo/app', tags: ['1.0'] });
    const pulled = await after.pullImage('demo/app:1.0');
    expect(pulled.manifest.digest).toBe(pushed.manifest.digest);
    expect(pulled.blobs.map((blob) => blob.digest)).toHaveLength(3);
    expect((await get(after, new URL(upload.headers.get('location') ?? '', after.baseUrl).pathname)).status).toBe(404);
    await after.idle();
    expect(up.bodies.map((body) => JSON.parse(body).events[0].action)).toEqual(after.events.map(() => 'pull'));
    expect(after.events[0]?.event.source.instanceID).not.toBe(before.events[0]?.event.source.instanceID);
    const lost = new Set(before.events.map((recorded) => recorded.event.id));
    expect(up.bodies.filter((body) => lost.has(JSON.parse(body).events[0].id))).toEqual([]);
    after.close();
  });
});

it('a registry over another storage sees none of it', async () => {
  const first = createMockRegistry();
  await first.pushImage('demo/app:1.0');
  const second = createMockRegistry({ storage: new MemoryStorage() });
  expect(JSON.parse((await get(second, '/v2/_catalog')).body)).toEqual({ repositories: [] });
});
