import { expect, it } from 'vitest';
import type { DedupeStore } from '../src/index.js';

/** The store contract, shared by the memory store here and the Redis store in redis-store.test.ts. */
export function dedupeStoreContract(makeStore: () => Promise<DedupeStore> | DedupeStore): void {
  it('claims an unseen id once; a second claim sees it in flight', async () => {
    const store = await makeStore();
    const first = await store.claim('id-1', 60_000);
    expect(first.status).toBe('claimed');
    expect(await store.claim('id-1', 60_000)).toEqual({ status: 'in-flight' });
  });

  it('a completed id is done; a released one can be claimed again', async () => {
    const store = await makeStore();
    const a = await store.claim('id-a', 60_000);
    const b = await store.claim('id-b', 60_000);
    if (a.status !== 'claimed' || b.status !== 'claimed') throw new Error('expected claims');
    await store.complete('id-a', a.token, 60_000);
    await store.release('id-b', b.token);
    expect(await store.claim('id-a', 60_000)).toEqual({ status: 'done' });
    expect((await store.claim('id-b', 60_000)).status).toBe('claimed');
  });

  it('a stale token cannot release a newer claim', async () => {
    const store = await makeStore();
    const first = await store.claim('id-s', 60_000);
    if (first.status !== 'claimed') throw new Error('expected a claim');
    await store.release('id-s', first.token);
    const second = await store.claim('id-s', 60_000);
    expect(second.status).toBe('claimed');
    await store.release('id-s', first.token);
    expect(await store.claim('id-s', 60_000)).toEqual({ status: 'in-flight' });
  });

  it('of many concurrent claims of one id exactly one wins', async () => {
    const store = await makeStore();
    const results = await Promise.all(Array.from({ length: 20 }, () => store.claim('id-race', 60_000)));
    expect(results.filter((r) => r.status === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'in-flight')).toHaveLength(19);
  });
}

