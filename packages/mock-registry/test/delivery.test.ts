import { describe, expect, it } from 'vitest';
import type { EndpointConfig } from '@regevents/config';
import { createInstantClock, createMockRegistry, MockRegistryConfigError } from '../src/index.js';

function endpoint(overrides: Partial<EndpointConfig> = {}): EndpointConfig {
  return { name: 'app', disabled: false, url: 'http://app.test/events', headers: {}, timeoutMs: 1000, threshold: 3, backoffMs: 1000, ignore: { mediaTypes: [], actions: [] }, ...overrides };
}

/** A fetch that answers with the next status of `statuses` (200 once they run out) and records each call. */
function scriptedFetch(statuses: number[]) {
  const calls: { url: string; headers: Headers; body: string }[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), headers: new Headers(init?.headers), body: String(init?.body) });
    return new Response(null, { status: statuses.shift() ?? 200 });
  };
  return { calls, fetch: fetchImpl as typeof fetch };
}

describe('delivery', () => {
  it('retries forever: threshold attempts back to back, then one per backoff, re-sending the same body', async () => {
    const clock = createInstantClock(Date.UTC(2025, 0, 1));
    const { calls, fetch } = scriptedFetch([500, 500, 500, 503, 500, 200]);
    const registry = createMockRegistry({ clock, fetch, notifications: { events: { includeReferences: false }, endpoints: [endpoint({ threshold: 3, backoffMs: 2000 })] } });
    await registry.pushImage('demo/app:1.0');
    await registry.idle();
    const first = registry.events[0];
    expect(first?.deliveries[0]?.attempts.map((a) => a.status)).toEqual([500, 500, 500, 503, 500, 200]);
    const times = first?.deliveries[0]?.attempts.map((a) => Date.parse(a.at)) ?? [];
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    // three back to back, then each later attempt waited one backoff
    expect(gaps).toEqual([0, 0, 2000, 2000, 2000]);
    expect(new Set(calls.slice(0, 6).map((c) => c.body)).size).toBe(1);
    expect(first?.deliveries[0]?.delivered).toBe(true);
    // later events went out once the head of the queue got through, in order
    expect(calls.length).toBe(6 + registry.events.length - 1);
    expect(calls.slice(6).map((c) => c.body)).toEqual(registry.events.slice(1).map((e) => e.body));
    expect(registry.debugVars().registry.notifications.endpoints[0]?.Metrics).toEqual({
      Pending: 0,
      Events: 3,
      Successes: 3,
      Failures: 5,
      Errors: 0,
      Statuses: { '500 Internal Server Error': 4, '503 Service Unavailable': 1, '200 OK': 3 },
    });
    registry.close();
  });

  it('counts transport errors and injected endpoint failures, then delivers', async () => {
    const clock = createInstantClock();
    let calls = 0;
    const failing = (async () => {
      calls += 1;
      if (calls === 1) throw new TypeError('fetch failed');
      return new Response(null, { status: 204 });
    }) as typeof fetch;
    const registry = createMockRegistry({ clock, fetch: failing, notifications: { events: { includeReferences: false }, endpoints: [endpoint()] } });
    registry.failDeliveries({ status: 502, times: 2 });
    await registry.pushImage('demo/app:1.0', { layers: 0 });
    await registry.idle();
    const attempts = registry.events[0]?.deliveries[0]?.attempts ?? [];
    expect(attempts.map((a) => a.status ?? a.error)).toEqual([502, 502, 'fetch failed', 204]);
    const metrics = registry.debugVars().registry.notifications.endpoints[0]?.Metrics;
    expect(metrics?.Errors).toBe(1);
    expect(metrics?.Statuses['502 Bad Gateway']).toBe(2);
    registry.close();
  });

  it('sends the configured headers, Go user agent and the 2.x events media type', async () => {
    const { calls, fetch } = scriptedFetch([]);
    const registry = createMockRegistry({ fetch, notifications: { events: { includeReferences: false }, endpoints: [endpoint({ headers: { Authorization: ['Bearer t'], 'X-Multi': ['a', 'b'] } })] } });
    await registry.pushImage('demo/app:1.0', { layers: 0 });
    await registry.idle();
    expect(calls[0]?.headers.get('user-agent')).toBe('Go-http-client/1.1');
    expect(calls[0]?.headers.get('content-type')).toBe('application/vnd.docker.distribution.events.v1+json');
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer t');
    expect(calls[0]?.headers.get('x-multi')).toBe('a, b');
    registry.close();
  });

  it('filters per endpoint with the 2.8 rules (ignore.actions alone has no effect) and skips disabled endpoints', async () => {
    const { calls, fetch } = scriptedFetch([]);
    const registry = createMockRegistry({
      fetch,
      notifications: {
        events: { includeReferences: false },
        endpoints: [
          endpoint({ name: 'no-blobs', url: 'http://a.test/', ignore: { mediaTypes: ['application/octet-stream'], actions: [] } }),
          endpoint({ name: 'actions-only', url: 'http://b.test/', ignore: { mediaTypes: [], actions: ['push'] } }),
          endpoint({ name: 'off', url: 'http://c.test/', disabled: true }),
        ],
      },
    });
    await registry.pushImage('demo/app:1.0');
    await registry.idle();
    expect(calls.filter((c) => c.url === 'http://a.test/').length).toBe(1);
    expect(calls.filter((c) => c.url === 'http://b.test/').length).toBe(3);
    expect(calls.some((c) => c.url === 'http://c.test/')).toBe(false);
    expect(registry.debugVars().registry.notifications.endpoints.map((e) => e.name)).toEqual(['no-blobs', 'actions-only']);
    registry.close();
  });

  it('reads endpoints from registry YAML and throws on config errors', async () => {
    const { calls, fetch } = scriptedFetch([]);
    const registry = createMockRegistry({
      fetch,
      config: ['notifications:', '  endpoints:', '    - name: app', '      url: http://app.test/registry-events', '      headers: { Authorization: [Bearer t] }'].join('\n'),
    });
    await registry.pushImage('demo/app:1.0', { layers: 0 });
    await registry.idle();
    expect(calls.map((c) => c.url)).toEqual(['http://app.test/registry-events', 'http://app.test/registry-events']);
    expect(() => createMockRegistry({ config: 'notifications:\n  endpoints:\n    - url: http://x.test/\n' })).toThrow(MockRegistryConfigError);
    registry.close();
  });

  it('waitForEvents resolves on a predicate and rejects after its timeout', async () => {
    const registry = createMockRegistry();
    const waiting = registry.waitForEvents((event) => event.action === 'push' && 'tag' in event.target && event.target.tag === '2.0');
    await registry.pushImage('demo/app:2.0', { layers: 0 });
    const [event] = await waiting;
    expect(event?.target).toMatchObject({ repository: 'demo/app', tag: '2.0' });
    await expect(registry.waitForEvents(99, { timeout: 20 })).rejects.toThrow(/2 of 99/);
  });
});
