import { createMemoryDedupeStore } from '@regevents/webhooks';
import { describe, expect, it } from 'vitest';

describe('the in-memory dedupe store under one million ids', () => {
  it('stays within its configured bound and keeps the newest ids', async () => {
    const maxBytes = 4 * 1024 * 1024;
    const store = createMemoryDedupeStore({ maxBytes });
    const gc = global.gc;
    if (!gc) throw new Error('run with --expose-gc (vitest.config.ts sets it) to measure the live heap');
    gc();
    const before = process.memoryUsage().heapUsed;
    const ids = 1_000_000;
    for (let i = 0; i < ids; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const claim = await store.claim(id, 30_000);
      if (claim.status !== 'claimed') throw new Error(`fresh id ${id} was ${claim.status}`);
      await store.complete(id, claim.token, 3_600_000);
    }
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    const remembered = Number(/\((\d+) ids\)/.exec(String(store))?.[1]);
    console.log(`1,000,000 ids through a ${maxBytes / 2 ** 20} MiB store: ${remembered.toLocaleString('en')} remembered, heap grew ${(grown / 2 ** 20).toFixed(1)} MiB`);
    expect(remembered).toBeGreaterThan(10_000);
    expect(remembered).toBeLessThan(ids);
    // The newest id is still known; the oldest was evicted (at least once, never lost).
    expect((await store.claim(`00000000-0000-4000-8000-${String(ids - 1).padStart(12, '0')}`, 1)).status).toBe('done');
    expect((await store.claim('00000000-0000-4000-8000-000000000000', 1)).status).toBe('claimed');
    // The live heap grows by about the bound (the per-entry estimate is approximate, hence the margin).
    expect(grown).toBeLessThan(maxBytes * 1.5);
  });
});
