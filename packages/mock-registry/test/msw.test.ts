import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '@regevents/types';
import { createImage, createInstantClock, createMockRegistry } from '../src/index.js';

const received: { headers: Record<string, string>; body: string }[] = [];
const registry = createMockRegistry({
  ids: 'deterministic',
  clock: createInstantClock(Date.UTC(2025, 0, 1)),
  notifications: {
    events: { includeReferences: false },
    endpoints: [
      { name: 'app', disabled: false, url: 'http://app.test/events', headers: { Authorization: ['Bearer t'] }, timeoutMs: 1000, threshold: 3, backoffMs: 1000, ignore: { mediaTypes: [], actions: [] } },
    ],
  },
});
const server = setupServer(
  ...registry.handlers,
  http.post('http://app.test/events', async ({ request }) => {
    received.push({ headers: Object.fromEntries(request.headers), body: await request.text() });
    return new HttpResponse(null, { status: 200 });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  await registry.reset();
  received.length = 0;
});
afterAll(() => {
  registry.close();
  server.close();
});

describe('push through MSW', () => {
  it('emits layer, config, then manifest push events and delivers them in order', async () => {
    const image = await createImage({ seed: 3 });
    if (image.kind !== 'image') throw new Error('expected a single image');
    await registry.pushImage('demo/app:1.0', image);
    await registry.waitForEvents(3, { delivered: true });
    const bodies = received.map((r) => JSON.parse(r.body) as Envelope);
    expect(bodies.map((b) => b.events.length)).toEqual([1, 1, 1]);
    const targets = bodies.map((b) => b.events[0]?.target as unknown as Record<string, unknown>);
    expect(targets.map((t) => t.digest)).toEqual([image.layers[0]?.digest, image.config.digest, image.manifest.digest]);
    expect(targets[2]).toEqual({
      mediaType: image.manifest.mediaType,
      size: image.manifest.size,
      digest: image.manifest.digest,
      length: image.manifest.size,
      repository: 'demo/app',
      url: `http://registry.test/v2/demo/app/manifests/${image.manifest.digest}`,
      tag: '1.0',
    });
    expect(received[0]?.headers['content-type']).toBe('application/vnd.docker.distribution.events.v1+json');
    expect(received[0]?.headers['user-agent']).toBe('Go-http-client/1.1');
    expect(received[0]?.headers.authorization).toBe('Bearer t');
    expect(received[0]?.body).toBe(registry.events[0]?.body);
    const vars = (await (await fetch('http://registry.test/debug/vars')).json()) as { registry: { notifications: { endpoints: { name: string; Timeout: number; Metrics: { Successes: number } }[] } } };
    expect(vars.registry.notifications.endpoints[0]).toMatchObject({ name: 'app', Timeout: 1_000_000_000, Metrics: { Successes: 3 } });
  });
});
