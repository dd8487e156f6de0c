import { describe, expect, it } from 'vitest';
import { createMemoryDedupeStore, createWebhookHandler } from '../src/index.js';
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
