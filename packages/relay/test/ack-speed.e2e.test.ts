import { join } from 'node:path';
import { buildImage, endpointMetrics, registryConfig, requirePeers, serveOnLoopback, skopeoCopy, startRegistry, writeOciLayout, type RunningRegistry } from '@regevents/registry-harness';
import { createWebhookHandler } from '@regevents/webhooks';
import { describe, expect, it } from 'vitest';
import { createRedisLog, createRelay } from '../src/index.js';
import { freshStream, TOKEN, until, useRedis, useWorkDir } from './helpers.js';

const peers = requirePeers('docker-registry', 'skopeo', 'redis-server');
const PUSHES = 3;
/** A push of a one-layer image: the layer, the config, the manifest. */
const EVENTS_PER_PUSH = 3;
// what the registry must show within the test's own time limit; nothing here races a clock
const WAIT_MS = 40_000;

function startRegistryFor(url: string): Promise<RunningRegistry> {
  return startRegistry({
    config: (base) =>
      registryConfig({ ...base, notifications: { endpoints: [{ name: 'slow', url, headers: { Authorization: [`Bearer ${TOKEN}`] }, timeout: '5s', threshold: 3, backoff: '200ms' }] } }),
  });
}

/** Work that does not end until the test says so: slower than any push, whatever the machine's load. */
function gate(): { wait: () => Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { wait: () => opened, open };
}

async function push(registry: RunningRegistry, workDir: string, seed: number): Promise<void> {
  const source = await writeOciLayout(join(workDir, `image-${seed}`), buildImage({ seed, layers: 1, layerBytes: 512 }), 'v1');
  await skopeoCopy(source, `docker://${registry.host}/slow/app:${seed}`);
}

describe.skipIf(!peers.available)("ack speed under a consumer that does not finish (real docker-registry and redis-server)", () => {
  const started = useRedis({ appendfsync: 'always' });
  const workDir = useWorkDir('regevents-relay-ack-');

  it("the relay drains the registry's queue after every push while its consumer has finished nothing; a receiver that does the work itself holds the queue", async () => {
    const relay = createRelay({ log: createRedisLog({ client: started.client, stream: freshStream() }), auth: { bearer: TOKEN } });
    const slowConsumer = gate();
    let handled = 0;
    const consumer = relay.consumer('slow', { pollMs: 20 }).onAny(async () => {
      await slowConsumer.wait();
      handled++;
    });
    await consumer.start();
    const relayServer = await serveOnLoopback((req, res) => void relay.node(req, res));
    const registry = await startRegistryFor(`${relayServer.origin}/events`);
    try {
      for (let n = 1; n <= PUSHES; n++) {
        await push(registry, workDir.path, 500 + n);
        // every event of the push answered (appended, 200) and nothing left queued, while the consumer is stuck on the first
        await until(
          async () => {
            const { Successes, Pending } = await endpointMetrics(registry.debugUrl, 'slow');
            return Successes >= n * EVENTS_PER_PUSH && Pending === 0;
          },
          `the registry's queue to drain after push ${n}`,
          WAIT_MS,
          25
        );
        expect(handled).toBe(0);
      }
      expect((await relay.metrics()).appends.appended).toBe(PUSHES * EVENTS_PER_PUSH);
      // and the consumer, let go, gets every one of them
      slowConsumer.open();
      await until(() => handled === PUSHES * EVENTS_PER_PUSH, 'the consumer to handle every event', WAIT_MS);
    } finally {
      slowConsumer.open();
      await registry.stop();
      await consumer.stop();
      await relayServer.close();
    }

    // the same pushes into a receiver whose handler does the work itself
    const slowHandler = gate();
    const direct = createWebhookHandler({ auth: { bearer: TOKEN } }).onAny(() => slowHandler.wait());
    const directServer = await serveOnLoopback((req, res) => void direct.node(req, res));
    const baseline = await startRegistryFor(`${directServer.origin}/events`);
    try {
      for (let n = 1; n <= PUSHES; n++) await push(baseline, workDir.path, 600 + n);
      // one event is being sent (held by the handler); all the others wait in the registry's queue
      await until(async () => (await endpointMetrics(baseline.debugUrl, 'slow')).Pending >= PUSHES * EVENTS_PER_PUSH - 1, "the registry's queue to hold the events behind the first", WAIT_MS, 25);
      expect((await endpointMetrics(baseline.debugUrl, 'slow')).Successes).toBe(0);
    } finally {
      slowHandler.open();
      await baseline.stop();
      await directServer.close();
    }
  }, 120_000);
});
