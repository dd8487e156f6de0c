import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage, endpointMetrics, registryConfig, requirePeers, skopeoCopy, startRegistry, writeOciLayout, type EndpointMetrics } from '@regevents/registry-harness';
import { describe, expect, it } from 'vitest';
import { startFlakyReceiver } from './flaky-receiver.js';

const PUSHES = 150;
const PARALLEL_PUSHES = 4;
const peers = requirePeers('docker-registry', 'skopeo');


async function drained(debugUrl: string, expectedAtLeast: number): Promise<EndpointMetrics> {
  // bounded by the test timeout: a lost event keeps Pending above zero and fails the test there
  for (;;) {
    const metrics = await endpointMetrics(debugUrl, 'flaky');
    if (metrics.Pending === 0 && metrics.Events >= expectedAtLeast) return metrics;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!peers.available)('delivery under faults: real docker-registry -> flaky createWebhookHandler receiver', () => {
  it(`${PUSHES} skopeo pushes: every event handled successfully exactly once, none lost, order kept`, async () => {
    const receiver = await startFlakyReceiver({ token: 'reliability', handlerFailureRate: 0.2, dropRate: 0.1, seed: 20261123 });
    const registry = await startRegistry({
      config: (base) =>
        registryConfig({
          ...base,
          notifications: { endpoints: [{ name: 'flaky', url: receiver.url, headers: { Authorization: ['Bearer reliability'] }, timeout: '5s', threshold: 3, backoff: '50ms' }] },
        }),
    });
    const workDir = await mkdtemp(join(tmpdir(), 'regevents-reliability-'));
    const pushed: { repository: string; tag: string; digest: string }[] = [];
    try {
      const pushOne = async (i: number) => {
        const image = buildImage({ seed: 7_000 + i, layers: 1, layerBytes: 256 });
        const repository = `faults/repo-${i % 10}`;
        const tag = `t${i}`;
        await skopeoCopy(await writeOciLayout(join(workDir, `image-${i}`), image, tag), `docker://${registry.host}/${repository}:${tag}`);
        pushed.push({ repository, tag, digest: image.root.digest });
      };
      for (let start = 0; start < PUSHES; start += PARALLEL_PUSHES) {
        await Promise.all(Array.from({ length: Math.min(PARALLEL_PUSHES, PUSHES - start) }, (_, offset) => pushOne(start + offset)));
      }
      // each push gives a layer, a config and a manifest push event
      const metrics = await drained(registry.debugUrl, PUSHES * 3);
      const { stats } = receiver;
      console.log(
        [
          `real docker-registry ${registry.version}: ${PUSHES} pushes, ${metrics.Events} events queued by the registry`,
          `registry attempts: ${metrics.Successes} successes, ${metrics.Failures} failures (5xx), ${metrics.Errors} transport errors`,
          `receiver: ${stats.requests} requests, ${stats.handlerFailures} handler failures, ${stats.droppedBeforeHandling} dropped before handling, ${stats.droppedAfterHandling} after`,
          `handled successfully: ${stats.handled.size} distinct ids, ${stats.successOrder.length} runs`,
        ].join('\n'),
      );

      // none lost: every event the registry queued was handled, each exactly once
      expect(stats.handled.size).toBe(metrics.Events);
      expect([...stats.handled.values()].every((runs) => runs === 1)).toBe(true);
      expect(new Set(stats.arrivalOrder)).toEqual(new Set(stats.handled.keys()));
      // order kept: one sender per endpoint, so successes come in the order events first arrived
      expect(stats.successOrder).toEqual(stats.arrivalOrder);
      // and what was pushed is what was handled: a tagged manifest push for every image
      const manifestPushes = new Set(
        stats.succeeded.flatMap((event) => {
          const target = event.target as { repository?: string; tag?: string; digest?: string } | undefined;
          return event.action === 'push' && target?.tag ? [`${target.repository}:${target.tag}@${target.digest}`] : [];
        }),
      );
      expect(manifestPushes).toEqual(new Set(pushed.map(({ repository, tag, digest }) => `${repository}:${tag}@${digest}`)));
      // the faults really happened, and really caused redelivery
      expect(stats.handlerFailures).toBeGreaterThan(metrics.Events * 0.1);
      expect(stats.droppedAfterHandling).toBeGreaterThan(0);
      expect(metrics.Failures + metrics.Errors).toBeGreaterThan(metrics.Events * 0.15);
    } finally {
      await registry.stop();
      await receiver.close();
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
