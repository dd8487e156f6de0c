import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildImage, registryConfig, requirePeers, skopeoCopy, sleep, startRegistry, writeOciLayout, type RunningRegistry } from '@regevents/registry-harness';
import { createWebhookHandler } from '@regevents/webhooks';
import { describe, expect, it } from 'vitest';
import { createRedisLog, createRelay } from '../src/index.js';
import { freshStream, TOKEN, useRedis, useWorkDir } from './helpers.js';

const peers = requirePeers('docker-registry', 'skopeo', 'redis-server');
const SLOW_MS = 2_000;
const PUSHES = 3;

async function serve(listener: RequestListener): Promise<{ url: string; server: Server }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, server };
}

function startRegistryFor(url: string): Promise<RunningRegistry> {
  return startRegistry({
    config: (base) =>
      registryConfig({ ...base, notifications: { endpoints: [{ name: 'slow', url, headers: { Authorization: [`Bearer ${TOKEN}`] }, timeout: '5s', threshold: 3, backoff: '200ms' }] } }),
  });
}

async function pending(registry: RunningRegistry): Promise<number> {
  const vars = (await (await fetch(registry.debugUrl)).json()) as { registry: { notifications: { endpoints: { name: string; Metrics: { Pending: number } }[] } } };
  return vars.registry.notifications.endpoints.find((e) => e.name === 'slow')?.Metrics.Pending ?? Number.NaN;
}

/** Pushes `PUSHES` new images (three events each) and returns the largest Pending seen meanwhile and for `afterMs` after. */
async function pushWatchingPending(registry: RunningRegistry, workDir: string, seed: number, afterMs: number): Promise<number> {
  let highest = 0;
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      highest = Math.max(highest, await pending(registry));
      await sleep(25);
    }
  })();
  for (let n = 0; n < PUSHES; n++) {
    const source = await writeOciLayout(join(workDir, `image-${seed + n}`), buildImage({ seed: seed + n, layers: 1, layerBytes: 512 }), 'v1');
    await skopeoCopy(source, `docker://${registry.host}/slow/app:${n}`);
  }
  await sleep(afterMs);
  watching = false;
  await watcher;
  return highest;
}

describe.skipIf(!peers.available)('ack speed under a consumer that takes 2 s per event (real docker-registry and redis-server)', () => {
  const started = useRedis({ appendfsync: 'always' });
  const workDir = useWorkDir('regevents-relay-ack-');

  it("the relay keeps the registry's queue empty; a receiver that does the work itself lets it grow", async () => {
    const relay = createRelay({ log: createRedisLog({ client: started.client, stream: freshStream() }), auth: { bearer: TOKEN } });
    let handled = 0;
    const consumer = relay.consumer('slow', { pollMs: 20 }).onAny(async () => {
      await sleep(SLOW_MS);
      handled++;
    });
    await consumer.start();
    const relayServer = await serve((req, res) => void relay.node(req, res));
    const registry = await startRegistryFor(relayServer.url);
    let relayPending: number;
    try {
      relayPending = await pushWatchingPending(registry, workDir.path, 500, 500);
      expect((await relay.metrics()).appends.appended).toBe(PUSHES * 3);
      expect(handled).toBeLessThan(PUSHES * 3);
    } finally {
      await registry.stop();
      await consumer.stop();
      relayServer.server.close();
    }

    // the same pushes into a receiver whose handler itself takes 2 s
    const direct = createWebhookHandler({ auth: { bearer: TOKEN } }).onAny(() => sleep(SLOW_MS));
    const directServer = await serve((req, res) => void direct.node(req, res));
    const baseline = await startRegistryFor(directServer.url);
    let directPending: number;
    try {
      directPending = await pushWatchingPending(baseline, workDir.path, 600, 0);
    } finally {
      await baseline.stop();
      directServer.server.closeAllConnections();
      directServer.server.close();
    }
    expect(relayPending).toBeLessThanOrEqual(1);
    expect(directPending).toBeGreaterThanOrEqual(PUSHES * 3 - 3);
  }, 60_000);
});
