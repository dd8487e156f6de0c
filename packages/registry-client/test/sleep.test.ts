import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sleep } from '../src/index.js';

describe('sleep', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Whether `promise` has settled once pending callbacks (not timers) have run. */
  async function settled(promise: Promise<void>): Promise<boolean> {
    let done = false;
    void promise.then(() => (done = true));
    await Promise.resolve();
    await Promise.resolve();
    return done;
  }

  it('resolves after its time, without a signal too', async () => {
    const waiting = sleep(1000);
    expect(await settled(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(999);
    expect(await settled(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(waiting)).toBe(true);
  });

  it('resolves as soon as its signal aborts, leaving no timer behind', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort(new Error('stopped'));
    expect(await settled(waiting)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves at once, starting no timer, for a signal aborted before it', async () => {
    const waiting = sleep(60_000, AbortSignal.abort());
    expect(vi.getTimerCount()).toBe(0);
    expect(await settled(waiting)).toBe(true);
  });

  it('lets go of its signal once it has waited', async () => {
    const controller = new AbortController();
    const waiting = sleep(10, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(await settled(waiting)).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
  });
});
