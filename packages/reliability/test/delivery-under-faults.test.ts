import { createMockRegistry } from '@regevents/mock-registry/node';
import { describe, expect, it } from 'vitest';
import { startFlakyReceiver } from './flaky-receiver.js';

const TARGET_EVENTS = 10_000;

describe('delivery under faults: mock registry -> createWebhookHandler', () => {
  it(`${TARGET_EVENTS.toLocaleString('en')} events: each handled successfully exactly once, none lost, order kept`, async () => {
    const receiver = await startFlakyReceiver({ token: 'reliability', handlerFailureRate: 0.2, dropRate: 0.1, seed: 20261122 });
    const registry = createMockRegistry({
      config: `
        notifications:
          endpoints:
            - name: flaky
              url: ${receiver.url}
              headers: { Authorization: [Bearer reliability] }
              timeout: 5s
              threshold: 3
              backoff: 2ms`,
    });
    try {
      // Pushes of small distinct images: each emits a layer, a config and a manifest push event.
      for (let i = 0; registry.events.length < TARGET_EVENTS; i++) {
        await registry.pushImage(`load/repo-${i % 20}:t${i}`, { layers: 1, layerSize: 64, seed: i + 1 });
      }
      await registry.idle();
    } finally {
      registry.close();
      await receiver.close();
    }

    const emitted = registry.events.map((recorded) => recorded.event.id);
    const attempts = registry.events.reduce((sum, recorded) => sum + (recorded.deliveries[0]?.attempts.length ?? 0), 0);
    const { stats } = receiver;
    console.log(
      [
        `events emitted ${emitted.length}, delivery attempts ${attempts}, receiver requests ${stats.requests}`,
        `handler failures ${stats.handlerFailures}, connections dropped before handling ${stats.droppedBeforeHandling}, after handling ${stats.droppedAfterHandling}`,
        `handled successfully: ${stats.handled.size} distinct ids, ${stats.successOrder.length} runs`,
      ].join('\n'),
    );

    expect(emitted.length).toBeGreaterThanOrEqual(TARGET_EVENTS);
    expect(new Set(emitted).size).toBe(emitted.length);
    // every event handled successfully exactly once: retries after a lost response were deduplicated
    expect([...stats.handled.keys()].sort()).toEqual([...emitted].sort());
    expect([...stats.handled.values()].every((runs) => runs === 1)).toBe(true);
    // the faults really happened, and really caused redelivery
    expect(stats.handlerFailures).toBeGreaterThan(emitted.length * 0.15);
    expect(stats.droppedAfterHandling).toBeGreaterThan(emitted.length * 0.03);
    expect(attempts).toBeGreaterThan(emitted.length * 1.2);
    // one endpoint, one FIFO queue: successes come in emission order
    expect(stats.successOrder).toEqual(emitted);
  });
});
