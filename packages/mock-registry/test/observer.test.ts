import { describe, expect, it } from 'vitest';
import { createInstantClock, createMockRegistry, type DeliveryAttempt, type RecordedEvent } from '../src/index.js';
import { createMockRegistry as createServableRegistry, type ServedRequest } from '../src/node/index.js';

const endpoint = { name: 'app', disabled: false, url: 'http://app.test/events', headers: {}, timeoutMs: 1000, threshold: 2, backoffMs: 1000, ignore: { mediaTypes: [], actions: [] } };

describe('observers', () => {
  it('tell about every event and every delivery attempt, in order', async () => {
    const seen: RecordedEvent[] = [];
    const attempts: [string, string, DeliveryAttempt][] = [];
    let calls = 0;
    const fetch = (async () => new Response(null, { status: ++calls === 1 ? 503 : 200 })) as typeof globalThis.fetch;
    const registry = createMockRegistry({
      clock: createInstantClock(),
      fetch,
      notifications: { events: { includeReferences: false }, endpoints: [endpoint] },
      observer: { onEvent: (recorded) => seen.push(recorded), onDeliveryAttempt: (name, event, attempt) => attempts.push([name, event.id, attempt]) },
    });
    await registry.pushImage('demo/app:1.0', { layers: 1 });
    await registry.idle();
    expect(seen).toEqual(registry.events);
    expect(attempts.map(([name, , attempt]) => [name, attempt.status])).toEqual([
      ['app', 503],
      ['app', 200],
      ['app', 200],
      ['app', 200],
    ]);
    expect(attempts.map(([, id]) => id)).toEqual([seen[0]?.event.id, ...seen.map((r) => r.event.id)]);
    registry.close();
  });

  it('serve() reports each answered request', async () => {
    const requests: ServedRequest[] = [];
    const registry = createServableRegistry();
    const served = await registry.serve({ port: 0, onRequest: (entry) => requests.push(entry) });
    try {
      expect((await fetch(`${served.url}/v2/`)).status).toBe(200);
      expect((await fetch(`${served.url}/v2/nope/manifests/latest`)).status).toBe(404);
    } finally {
      await served.close();
      registry.close();
    }
    expect(requests.map(({ method, path, status }) => [method, path, status])).toEqual([
      ['GET', '/v2/', 200],
      ['GET', '/v2/nope/manifests/latest', 404],
    ]);
    expect(requests[0]?.peer).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});
