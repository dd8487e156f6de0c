import { describe, expect, it } from 'vitest';
import { createEventHandler, createMemoryDedupeStore, createWebhookHandler, type EventContext } from '../src/index.js';
import { validateEnvelope } from '@regevents/schemas';
import type { Event } from '@regevents/types';
import { dedupeStoreContract } from './store-contract.js';
import { deferred, deliver, fixture, withFreshIds } from './helpers.js';

describe('memory store', () => {
  dedupeStoreContract(() => createMemoryDedupeStore());

  it('a lease lapses and a done record expires, on the injected clock', async () => {
    let now = 1_000;
    const store = createMemoryDedupeStore({ now: () => now });
    expect((await store.claim('lease', 100)).status).toBe('claimed');
    now += 99;
    expect(await store.claim('lease', 100)).toEqual({ status: 'in-flight' });
    now += 2;
    const again = await store.claim('lease', 100);
    if (again.status !== 'claimed') throw new Error('expected the lapsed lease to be claimable');
    await store.complete('lease', again.token, 1_000);
    now += 999;
    expect(await store.claim('lease', 100)).toEqual({ status: 'done' });
    now += 2;
    expect((await store.claim('lease', 100)).status).toBe('claimed');
  });

  it('stays within its memory bound by forgetting the least recently used ids', async () => {
    const store = createMemoryDedupeStore({ maxBytes: 100 * (160 + 2 * 36) });
    const ids = Array.from({ length: 300 }, () => crypto.randomUUID());
    for (const id of ids) {
      const claim = await store.claim(id, 60_000);
      if (claim.status === 'claimed') await store.complete(id, claim.token, 60_000);
    }
    expect(String(store)).toBe('MemoryDedupeStore(100 ids)');
    expect(await store.claim(ids.at(-1) as string, 60_000)).toEqual({ status: 'done' });
    expect((await store.claim(ids[0] as string, 60_000)).status).toBe('claimed');
  });

  it('by default remembers about 59 000 distribution events (scoped UUID keys, as the receiver claims them), as the README says', async () => {
    const store = createMemoryDedupeStore();
    const keys = Array.from({ length: 69_000 }, () => `distribution/distribution:${crypto.randomUUID()}`);
    for (const key of keys.slice(0, 59_000)) {
      const claim = await store.claim(key, 60_000);
      if (claim.status === 'claimed') await store.complete(key, claim.token, 60_000);
    }
    expect(String(store)).toBe('MemoryDedupeStore(59000 ids)');
    expect(await store.claim(keys[0] as string, 60_000)).toEqual({ status: 'done' });
    for (const key of keys.slice(59_000)) {
      const claim = await store.claim(key, 60_000);
      if (claim.status === 'claimed') await store.complete(key, claim.token, 60_000);
    }
    expect(String(store)).toMatch(/^MemoryDedupeStore\(5\d{4} ids\)$/);
    expect((await store.claim(keys[1] as string, 60_000)).status).toBe('claimed');
  });
});

describe('handler idempotency', () => {
  const body = fixture('push-by-tag/003.json').body;
  /** The captured manifest push, under another id. */
  const pushWithId = (id: string): Event => {
    const result = validateEnvelope(JSON.parse(new TextDecoder().decode(body)));
    const event = result.ok ? result.value.events.at(-1) : undefined;
    if (!event) throw new Error('the captured envelope does not validate');
    return { ...event, id };
  };

  it('a redelivered event that succeeded is acknowledged without running handlers again', async () => {
    const runs: string[] = [];
    const hooks = createWebhookHandler({ auth: { unauthenticated: true } }).on('push', (event) => void runs.push(event.id));
    const first = await deliver(hooks, body);
    const second = await deliver(hooks, body);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(runs).toHaveLength(1);
  });

  it('a failed event runs again on redelivery, then never again', async () => {
    let attempts = 0;
    const hooks = createWebhookHandler({ auth: { unauthenticated: true } })
      .on('push:manifest', () => {
        attempts++;
        if (attempts === 1) throw new Error('downstream unavailable');
      })
      .onError(() => undefined);
    expect((await deliver(hooks, body)).status).toBe(500);
    expect((await deliver(hooks, body)).status).toBe(200);
    expect((await deliver(hooks, body)).status).toBe(200);
    expect(attempts).toBe(2);
  });

  it('a concurrent duplicate never runs twice: it gets 503 while the first is in flight', async () => {
    const gate = deferred();
    let runs = 0;
    const hooks = createWebhookHandler({ auth: { unauthenticated: true } }).on('push', async () => {
      runs++;
      await gate.promise;
    });
    const first = deliver(hooks, body);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const duplicate = await deliver(hooks, body);
    expect(duplicate.status).toBe(503);
    expect(duplicate.headers.get('retry-after')).toBe('1');
    gate.resolve();
    expect((await first).status).toBe(200);
    expect((await deliver(hooks, body)).status).toBe(200);
    expect(runs).toBe(1);
  });

  it('an event received again from inside its own synchronous handler is in flight, not run twice', async () => {
    const event = pushWithId('reentrant');
    const context = {} as EventContext;
    const nested: Promise<string>[] = [];
    let runs = 0;
    const events = createEventHandler().onAny(() => {
      runs++;
      nested.push(events.receive(event, context));
    });
    expect(await events.receive(event, context)).toBe('handled');
    expect(await Promise.all(nested)).toEqual(['in-flight']);
    expect(await events.receive(event, context)).toBe('duplicate');
    expect(runs).toBe(1);
  });

  it('a store shared with code that claims an id while a synchronous handler of that id runs answers in flight', async () => {
    const store = createMemoryDedupeStore();
    const claims: Promise<unknown>[] = [];
    const events = createEventHandler({ dedupe: { store } }).onAny(() => void claims.push(store.claim('distribution/distribution:shared', 60_000)));
    expect(await events.receive(pushWithId('shared'), {} as EventContext)).toBe('handled');
    expect(await Promise.all(claims)).toEqual([{ status: 'in-flight' }]);
    expect(await store.claim('distribution/distribution:shared', 60_000)).toEqual({ status: 'done' });
  });

  it('a synchronous throw leaves the id free for the next delivery, and an async handler holds a lease meanwhile', async () => {
    const gate = deferred();
    let attempt = 0;
    const events = createEventHandler()
      .onAny(() => {
        attempt++;
        if (attempt === 1) throw new Error('first attempt fails');
        if (attempt === 2) return gate.promise;
        return undefined;
      })
      .onError(() => undefined);
    const event = pushWithId('retry');
    expect(await events.receive(event, {} as EventContext)).toBe('failed');
    const second = events.receive(event, {} as EventContext);
    expect(await events.receive(event, {} as EventContext)).toBe('in-flight');
    gate.resolve();
    expect(await second).toBe('handled');
    expect(await events.receive(event, {} as EventContext)).toBe('duplicate');
    expect(attempt).toBe(2);
  });

  it('dedupe: false runs handlers on every delivery', async () => {
    let runs = 0;
    const hooks = createWebhookHandler({ auth: { unauthenticated: true }, dedupe: false }).onAny(() => void runs++);
    await deliver(hooks, body);
    await deliver(hooks, body);
    expect(runs).toBe(2);
  });

  it('distinct ids are not confused', async () => {
    let runs = 0;
    const hooks = createWebhookHandler({ auth: { unauthenticated: true } }).onAny(() => void runs++);
    for (let i = 0; i < 5; i++) await deliver(hooks, withFreshIds(body));
    expect(runs).toBe(5);
  });
});
