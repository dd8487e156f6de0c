import express from 'express';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { BlobPushEvent, DigestDeleteEvent, ManifestPullEvent, ManifestPushEvent, MountEvent, PushEvent, TagDeleteEvent } from '@regevents/types';
import { serveOnLoopback } from '@regevents/registry-harness';
import { createWebhookHandler, EVENT_KEYS, HandlerFailedError, isKnownEvent, RawBodyUnavailableError, type EventKey } from '../src/index.js';
import { deliver, fixture, fixtures, rawPost, TOKEN } from './helpers.js';

const open = () => createWebhookHandler({ auth: { unauthenticated: true } });
const pushManifest = fixture('push-by-tag/003.json').body;

/** The key a captured event should reach, derived independently of the SDK: from its url and tag. */
function expectedKey(event: { action: string; target: { url?: string; tag?: string; digest?: string } }): EventKey {
  if (event.action === 'mount') return 'mount';
  if (event.action === 'delete') return event.target.tag && !event.target.digest ? 'delete:tag' : event.target.url?.includes('/blobs/') ? 'delete:blob' : 'delete:manifest';
  return `${event.action as 'push' | 'pull'}:${event.target.url?.includes('/manifests/') ? 'manifest' : 'blob'}`;
}

describe('typed dispatch', () => {
  it('every captured event reaches exactly the handlers of its action and its kind, once (redeliveries are skipped)', async () => {
    const calls: [EventKey, string][] = [];
    const delivered = new Set<string>();
    let redeliveries = 0;
    const hooks = open();
    for (const key of EVENT_KEYS) hooks.on(key, (event) => void calls.push([key, event.id]));
    for (const { name, body } of fixtures) {
      calls.length = 0;
      const response = await deliver(hooks, body);
      expect(response.status, name).toBe(200);
      const [event] = JSON.parse(body.toString()).events;
      if (delivered.has(event.id)) {
        redeliveries++;
        expect(calls, `${name} is a redelivery`).toEqual([]);
        continue;
      }
      delivered.add(event.id);
      const fine = expectedKey(event);
      const keys = fine === 'mount' ? ['mount'] : [fine, event.action];
      expect(calls.map(([key]) => key).sort(), name).toEqual(keys.sort());
      expect(new Set(calls.map(([, id]) => id)), name).toEqual(new Set([event.id]));
    }
    // the redelivery scenario captured each event more than once
    expect(redeliveries).toBeGreaterThan(0);
  });

  it('a handler registered for several keys runs once per event', async () => {
    const seen: string[] = [];
    const hooks = open().on(['push', 'push:manifest', 'push:blob'], (event) => void seen.push(event.id));
    await deliver(hooks, pushManifest);
    expect(seen).toHaveLength(1);
  });

  it('handlers run in registration order, onAny last, with the envelope, headers and delivery facts', async () => {
    const order: string[] = [];
    const hooks = open()
      .onAny((_event, context) => {
        order.push('any');
        expect(context.envelope.events).toHaveLength(1);
        expect(context.index).toBe(0);
        expect(context.headers.get('x-trace')).toBe('abc');
        expect(context.delivery).toMatchObject({ contentType: 'application/vnd.docker.distribution.events.v1+json', remoteAddress: '127.0.0.1', eventCount: 1 });
        expect(context.delivery.receivedAt).toBeInstanceOf(Date);
      })
      .on('push', () => void order.push('push'))
      .on('push:manifest', () => void order.push('push:manifest'));
    expect((await deliver(hooks, pushManifest, { headers: { 'x-trace': 'abc' } })).status).toBe(200);
    expect(order).toEqual(['push', 'push:manifest', 'any']);
  });

  it('rejects keys it does not know', () => {
    expect(() => open().on('rename' as EventKey, () => undefined)).toThrow(/on\(\) takes keys among push/);
    expect(() => open().on([], () => undefined)).toThrow(/on\(\) takes keys/);
    expect(() => open().on('push', 'not a function' as never)).toThrow(/on\(\) takes a function/);
    expect(() => open().onAny(undefined as never)).toThrow(/onAny\(\) takes a function/);
  });

  it('narrows handler parameters', () => {
    const hooks = open();
    hooks.on('push:manifest', (event) => expectTypeOf(event).toEqualTypeOf<ManifestPushEvent>());
    hooks.on('push:blob', (event) => expectTypeOf(event).toEqualTypeOf<BlobPushEvent>());
    hooks.on('push', (event) => expectTypeOf(event).toEqualTypeOf<PushEvent>());
    hooks.on('pull:manifest', (event) => expectTypeOf(event).toEqualTypeOf<ManifestPullEvent>());
    hooks.on('delete:tag', (event) => expectTypeOf(event.target.tag).toEqualTypeOf<string>());
    hooks.on('delete:manifest', (event) => expectTypeOf(event).toEqualTypeOf<DigestDeleteEvent>());
    hooks.on('mount', (event) => expectTypeOf(event.target.fromRepository).toEqualTypeOf<string>());
    hooks.on(['delete:tag', 'mount'], (event) => expectTypeOf(event).toEqualTypeOf<TagDeleteEvent | MountEvent>());
  });
});

describe('unknown actions', () => {
  const rename = JSON.stringify({
    events: [
      {
        id: 'c7a9f5d8-1b5a-4d39-9bd1-5b8f0e7b3a10',
        timestamp: '2024-05-01T10:00:00Z',
        action: 'rename',
        target: { repository: 'group/app', rename: { type: 'name', from: 'app', to: 'app2' } },
        request: {},
        actor: { user_type: 'personal_access_token' },
        source: {},
      },
    ],
  });

  it("reach onUnknown and onAny, never typed handlers, and are acknowledged (GitLab's rename)", async () => {
    const unknown: string[] = [];
    const any: boolean[] = [];
    const invalid = vi.fn();
    const hooks = open()
      .on('push', () => {
        throw new Error('must not run');
      })
      .onUnknown((event) => void unknown.push(event.action))
      .onAny((event) => void any.push(isKnownEvent(event)))
      .onInvalid(invalid);
    const response = await deliver(hooks, rename);
    expect(response.status).toBe(200);
    expect(unknown).toEqual(['rename']);
    expect(any).toEqual([false]);
    expect(invalid).not.toHaveBeenCalled();
  });

  it('are deduplicated by id like any event', async () => {
    let runs = 0;
    const hooks = open().onUnknown(() => void runs++);
    await deliver(hooks, rename);
    await deliver(hooks, rename);
    expect(runs).toBe(1);
  });
});

describe('response policy', () => {
  it('answers 2xx only after every handler resolved', async () => {
    let finished = false;
    const hooks = open().on('push', async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      finished = true;
    });
    const response = await deliver(hooks, pushManifest);
    expect(finished).toBe(true);
    expect(response.status).toBe(200);
  });

  it('a throwing handler gives 500 and reaches onError with the event', async () => {
    const errors: unknown[] = [];
    const hooks = open()
      .on('push', () => {
        throw new Error('boom');
      })
      .onError((error, context) => void errors.push([error, context.event?.id]));
    const response = await deliver(hooks, pushManifest);
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('Internal Server Error');
    const [[error, id]] = errors as [[HandlerFailedError, string]];
    expect(error).toBeInstanceOf(HandlerFailedError);
    expect((error.cause as Error).message).toBe('boom');
    expect(id).toBe(JSON.parse(pushManifest.toString()).events[0].id);
  });

  it('without onError a failure is logged to console.error', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const hooks = open().on('push', () => Promise.reject(new Error('boom')));
    expect((await deliver(hooks, pushManifest)).status).toBe(500);
    expect(log).toHaveBeenCalledWith('[@regevents/webhooks]', expect.any(HandlerFailedError));
    log.mockRestore();
  });

  it('acknowledges invalid payloads by default and hands them to onInvalid', async () => {
    const invalid: unknown[] = [];
    const hooks = open().onInvalid((payload) => void invalid.push(payload));
    const notJson = await deliver(hooks, '{"events": [');
    expect(notJson.status).toBe(200);
    const notEnvelope = await deliver(hooks, '[1,2]');
    expect(notEnvelope.status).toBe(200);
    const event = JSON.parse(pushManifest.toString()).events[0];
    const badDigest = await deliver(hooks, JSON.stringify({ events: [{ ...event, target: { ...event.target, digest: 'nope' } }] }));
    expect(badDigest.status).toBe(200);
    expect(invalid).toMatchObject([
      { issues: [{ path: '(body)', message: expect.stringMatching(/^is not valid JSON/) }], value: undefined },
      { issues: [{ path: 'events' }], value: [1, 2] },
      { issues: [{ path: 'events[0].target.digest' }], index: 0 },
    ]);
  });

  it('one invalid event does not stop the valid ones of the same envelope', async () => {
    const event = JSON.parse(pushManifest.toString()).events[0];
    const seen: string[] = [];
    const invalid: unknown[] = [];
    const hooks = open()
      .on('push', (e) => void seen.push(e.id))
      .onInvalid((payload) => void invalid.push(payload));
    const response = await deliver(hooks, JSON.stringify({ events: [{ ...event, timestamp: 'yesterday', id: crypto.randomUUID() }, event] }));
    expect(response.status).toBe(200);
    expect(invalid).toMatchObject([{ index: 0, issues: [{ path: 'events[0].timestamp' }] }]);
    expect(seen).toEqual([event.id]);
  });

  it('can reject invalid payloads instead, running no handler', async () => {
    const event = JSON.parse(pushManifest.toString()).events[0];
    const handler = vi.fn();
    const onInvalid = vi.fn();
    const hooks = createWebhookHandler({ auth: { unauthenticated: true }, invalid: 'reject' }).on('push', handler).onInvalid(onInvalid);
    const response = await deliver(hooks, JSON.stringify({ events: [event, { ...event, action: 42 }] }));
    expect(response.status).toBe(400);
    expect(handler).not.toHaveBeenCalled();
    expect(onInvalid).toHaveBeenCalledOnce();
  });

  it('strict mode makes unknown fields invalid', async () => {
    const event = JSON.parse(pushManifest.toString()).events[0];
    const onInvalid = vi.fn();
    const hooks = createWebhookHandler({ auth: { unauthenticated: true }, strict: true }).onInvalid(onInvalid);
    await deliver(hooks, JSON.stringify({ events: [{ ...event, extra: 1 }] }));
    expect(onInvalid).toHaveBeenCalledWith(expect.objectContaining({ issues: [expect.objectContaining({ path: 'events[0].extra' })] }), expect.anything());
  });
});

describe('request checks', () => {
  const hooks = createWebhookHandler({ auth: { bearer: TOKEN } });

  it('only POST: 405 with Allow', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await deliver(hooks, pushManifest, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
  });

  it('accepts the v1, v2 and plain JSON content types, with parameters and any case; 415 otherwise', async () => {
    for (const type of ['application/vnd.docker.distribution.events.v1+json', 'application/vnd.docker.distribution.events.v2+json', 'application/json; charset=utf-8', 'Application/JSON']) {
      const response = await deliver(createWebhookHandler({ auth: { bearer: TOKEN } }), pushManifest, { headers: { 'content-type': type } });
      expect(response.status, type).toBe(200);
    }
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', '']) {
      expect((await deliver(hooks, pushManifest, { headers: { 'content-type': type } })).status, type).toBe(415);
    }
  });

  it('authenticates before it says anything about the payload', async () => {
    expect((await deliver(hooks, 'x'.repeat(2 * 1024 * 1024), { headers: { authorization: 'Bearer no', 'content-type': 'text/plain' } })).status).toBe(401);
  });

  it('413 for a body over the limit, declared or streamed, without reading it all', async () => {
    const small = createWebhookHandler({ auth: { bearer: TOKEN }, maxBodyBytes: 1024 });
    expect((await deliver(small, 'x'.repeat(1025))).status).toBe(413);
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(512));
      },
    });
    const response = await deliver(small, endless);
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(10);
  });

  it('413 over node:http for a chunked body that never declares its length', async () => {
    const small = createWebhookHandler({ auth: { bearer: TOKEN }, maxBodyBytes: 1024 });
    const server = await serveOnLoopback(small.node);
    try {
      const response = await rawPost(`${server.origin}/events`, { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, 'x'.repeat(64 * 1024));
      expect(response.status).toBe(413);
    } finally {
      await server.close();
    }
  });
});

describe('.node behind Express: the raw-body pitfall', () => {
  it('answers 500 with an explanation when express.json() consumed the body first', async () => {
    const errors: unknown[] = [];
    const hooks = createWebhookHandler({ auth: { bearer: TOKEN } }).onError((error) => void errors.push(error));
    const app = express();
    app.use(express.json());
    app.post('/events', hooks.node);
    const server = await serveOnLoopback(app);
    try {
      const response = await rawPost(`${server.origin}/events`, { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, pushManifest);
      expect(response.status).toBe(500);
      expect(response.body).toMatch(/already parsed by a body parser \(for example express\.json\(\)\)/);
      expect(errors[0]).toBeInstanceOf(RawBodyUnavailableError);
    } finally {
      await server.close();
    }
  });

  it('works with express.raw(), and with express.json() mounted for other types only', async () => {
    const seen: string[] = [];
    const hooks = createWebhookHandler({ auth: { bearer: TOKEN } }).on('push', (event) => void seen.push(event.id));
    const app = express();
    app.post('/events', express.raw({ type: '*/*' }), hooks.node);
    const server = await serveOnLoopback(app);
    try {
      const response = await rawPost(`${server.origin}/events`, { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' }, pushManifest);
      expect(response.status).toBe(200);
      expect(seen).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
