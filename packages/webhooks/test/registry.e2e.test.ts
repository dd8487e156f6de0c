import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { registryConfig, requirePeers, scenarios, serveOnLoopback, sleep, startRegistry, type LoopbackServer, type RunningRegistry, type Scenario } from '@regevents/registry-harness';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createWebhookHandler, EVENT_KEYS, type EventKey, type WebhookHandler } from '../src/index.js';
import { fixtures, TOKEN } from './helpers.js';

const peers = requirePeers('docker-registry', 'skopeo');

interface Receiver {
  server: LoopbackServer;
  /** Resolves once no delivery arrived for `quietMs`. */
  settle(quietMs?: number): Promise<void>;
}

async function startReceiver(hooks: WebhookHandler): Promise<Receiver> {
  let lastArrival = Date.now();
  const server = await serveOnLoopback((req, res) => {
    lastArrival = Date.now();
    void hooks.node(req, res).finally(() => {
      lastArrival = Date.now();
    });
  });
  return {
    server,
    async settle(quietMs = 1_500) {
      const start = Date.now();
      const deadline = start + 60_000;
      // quiet since the later of the last arrival and this call: what was just caused may not have arrived yet
      while (Date.now() - Math.max(lastArrival, start) < quietMs) {
        if (Date.now() > deadline) throw new Error('deliveries never stopped');
        await sleep(100);
      }
    },
  };
}

function startRegistryFor(url: string, token: string, includeReferences = false): Promise<RunningRegistry> {
  return startRegistry({
    config: (base) =>
      registryConfig({
        ...base,
        notifications: {
          events: { includereferences: includeReferences },
          endpoints: [{ name: 'webhooks', url, headers: { Authorization: [`Bearer ${token}`] }, timeout: '2s', threshold: 3, backoff: '250ms' }],
        },
      }),
  });
}

interface EndpointMetrics {
  Successes: number;
  Failures: number;
  Statuses: Record<string, number>;
}

async function endpointMetrics(registry: RunningRegistry): Promise<EndpointMetrics> {
  const vars = (await (await fetch(registry.debugUrl)).json()) as { registry: { notifications: { endpoints: { name: string; Metrics: EndpointMetrics }[] } } };
  const endpoint = vars.registry.notifications.endpoints.find((e) => e.name === 'webhooks');
  if (!endpoint) throw new Error('endpoint "webhooks" missing from /debug/vars');
  return endpoint.Metrics;
}

/** The keys the captured fixtures of a scenario reach, derived from url and tag, as a sorted list. */
function capturedKeys(scenario: string): string[] {
  return fixtures
    .filter((f) => f.scenario === scenario)
    .map((f) => JSON.parse(f.body.toString()).events[0] as { action: string; target: { url?: string; tag?: string; digest?: string } })
    .map((event) => {
      if (event.action === 'mount') return 'mount';
      if (event.action === 'delete') return event.target.tag && !event.target.digest ? 'delete:tag' : 'delete:manifest';
      return `${event.action}:${event.target.url?.includes('/manifests/') ? 'manifest' : 'blob'}`;
    })
    .sort();
}

/** A receiver that records, per id, every key whose handler ran. */
function recordingHooks(token = TOKEN) {
  const runs: { key: EventKey; id: string; target: Record<string, unknown> }[] = [];
  const hooks = createWebhookHandler({ auth: { bearer: token } });
  for (const key of EVENT_KEYS) hooks.on(key, (event) => void runs.push({ key, id: event.id, target: event.target as unknown as Record<string, unknown> }));
  return { hooks, runs };
}

function scenario(name: string): Scenario {
  const found = scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`no scenario ${name}`);
  return found;
}

describe.skipIf(!peers.available)('end to end with the real docker-registry and skopeo', () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'regevents-webhooks-e2e-'));
  });
  afterAll(() => rm(workDir, { recursive: true, force: true }));

  // each case has its own registry, receiver and folder, and mostly waits for deliveries to settle: they run at once
  it.concurrent.for(['push-by-tag', 'pull-by-tag', 'copy-to-repository', 'delete-by-tag'])(
    '%s: every event arrives and is dispatched once to the right typed handlers',
    { timeout: 120_000 },
    async (name, { expect }) => {
      const { hooks, runs } = recordingHooks();
      const receiver = await startReceiver(hooks);
      const registry = await startRegistryFor(`${receiver.server.origin}/events`, TOKEN);
      try {
        const target = { host: registry.host, workDir: join(workDir, name) };
        const run = scenario(name);
        if (run.setup) {
          await run.setup(target);
          await receiver.settle();
        }
        runs.length = 0;
        await run.act(target);
        await receiver.settle();

        const fine = runs.filter((r) => r.key.includes(':') || r.key === 'mount');
        const coarse = runs.filter((r) => !r.key.includes(':') && r.key !== 'mount');
        expect(fine.map((r) => r.key).sort()).toEqual(capturedKeys(name));
        // each event ran once per matching key: one fine handler (mount has only one key) and one coarse
        const ids = fine.map((r) => r.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(coarse.map((r) => r.id).sort()).toEqual(fine.filter((r) => r.key !== 'mount').map((r) => r.id).sort());
        const metrics = await endpointMetrics(registry);
        expect(Object.keys(metrics.Statuses)).toEqual(['200 OK']);
        expect(metrics.Failures).toBe(0);
      } finally {
        await registry.stop();
        await receiver.server.close();
      }
    },
  );

  it.concurrent('a blob DELETE sends the same target shape as a manifest delete by digest, so it is reported as documented', async ({ expect }) => {
    const { hooks, runs } = recordingHooks();
    const receiver = await startReceiver(hooks);
    const registry = await startRegistryFor(`${receiver.server.origin}/events`, TOKEN);
    try {
      await scenario('push-by-tag').act({ host: registry.host, workDir: join(workDir, 'blob-delete') });
      await receiver.settle();
      const blob = runs.find((r) => r.key === 'push:blob');
      if (!blob) throw new Error('no blob push recorded');
      runs.length = 0;
      const response = await fetch(`${registry.url}/v2/demo/app/blobs/${String(blob.target.digest)}`, { method: 'DELETE' });
      expect(response.status).toBe(202);
      await receiver.settle();
      expect(runs.map((r) => r.key).sort()).toEqual(['delete', 'delete:manifest']);
      expect(Object.keys(runs[0]?.target ?? {}).sort()).toEqual(['digest', 'repository']);
      expect(runs[0]?.target.digest).toBe(blob.target.digest);
    } finally {
      await registry.stop();
      await receiver.server.close();
    }
  }, 120_000);

  it.concurrent('a handler failing the first attempt of each event leads to redelivery and exactly one successful run per id', async ({ expect }) => {
    const attempts = new Map<string, number>();
    const successes = new Map<string, number>();
    const hooks = createWebhookHandler({ auth: { bearer: TOKEN } })
      .onAny((event) => {
        const id = String(event.id);
        const attempt = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, attempt);
        if (attempt === 1) throw new Error(`first attempt of ${id} fails on purpose`);
        successes.set(id, (successes.get(id) ?? 0) + 1);
      })
      .onError(() => undefined);
    const receiver = await startReceiver(hooks);
    const registry = await startRegistryFor(`${receiver.server.origin}/events`, TOKEN);
    try {
      await scenario('push-by-tag').act({ host: registry.host, workDir: join(workDir, 'redelivery') });
      await receiver.settle();
      const events = capturedKeys('push-by-tag').length;
      expect(attempts.size).toBe(events);
      expect([...attempts.values()]).toEqual(Array(events).fill(2));
      expect([...successes.values()]).toEqual(Array(events).fill(1));
      const metrics = await endpointMetrics(registry);
      expect(metrics.Statuses).toEqual({ '500 Internal Server Error': events, '200 OK': events });
    } finally {
      await registry.stop();
      await receiver.server.close();
    }
  }, 120_000);

  it.concurrent('a registry configured with the wrong token gets 401s and no handler runs', async ({ expect }) => {
    const { hooks, runs } = recordingHooks(TOKEN);
    const receiver = await startReceiver(hooks);
    const registry = await startRegistryFor(`${receiver.server.origin}/events`, 'not-the-token');
    try {
      await scenario('push-by-tag').act({ host: registry.host, workDir: join(workDir, 'wrong-token') });
      // the registry retries forever; wait until several refusals are on record
      let metrics = await endpointMetrics(registry);
      for (let i = 0; i < 200 && (metrics.Statuses['401 Unauthorized'] ?? 0) < 3; i++) {
        await sleep(100);
        metrics = await endpointMetrics(registry);
      }
      expect(metrics.Statuses['401 Unauthorized']).toBeGreaterThanOrEqual(3);
      expect(Object.keys(metrics.Statuses)).toEqual(['401 Unauthorized']);
      expect(metrics.Successes).toBe(0);
      expect(runs).toEqual([]);
    } finally {
      await registry.stop();
      await receiver.server.close();
    }
  }, 120_000);
});

