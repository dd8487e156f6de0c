import { describe, expect, it } from 'vitest';
import { createInstantClock } from '../src/index.js';
import { EventQueue } from '../src/sinks/event-queue.js';
import { RetryingSink } from '../src/sinks/retrying-sink.js';
import type { Delivery, Sink } from '../src/sinks/sink.js';

const delivery = (n: number): Delivery => ({ body: String(n), event: {} as Delivery['event'], record: { endpoint: 'e', url: 'u', headers: {}, attempts: [], delivered: false } });
const metrics = () => ({ Pending: 0, Events: 0, Successes: 0, Failures: 0, Errors: 0, Statuses: {} });

describe('the delivery chain, sink by sink', () => {
  it('the retrying sink tries threshold times back to back, then once per backoff, and a success resets its breaker', async () => {
    const clock = createInstantClock(0);
    const attemptsAt: number[] = [];
    let failuresLeft = 5;
    const flaky: Sink = { write: async () => (attemptsAt.push(clock.now()), failuresLeft-- <= 0) };
    const sink = new RetryingSink(flaky, { threshold: 3, backoffMs: 1_000, clock, signal: new AbortController().signal });
    expect(await sink.write(delivery(1))).toBe(true);
    expect(attemptsAt).toEqual([0, 0, 0, 1_000, 2_000, 3_000]);
    expect(await sink.write(delivery(2))).toBe(true);
    expect(attemptsAt.at(-1)).toBe(3_000);
  });

  it('the retrying sink gives up when the registry stops', async () => {
    const abort = new AbortController();
    const sink = new RetryingSink({ write: async () => false }, { threshold: 1, backoffMs: 60_000, clock: createInstantClock(0), signal: abort.signal });
    const written = sink.write(delivery(1));
    abort.abort();
    expect(await written).toBe(false);
  });

  it('the queue sends one at a time in order, counting Events and Pending', async () => {
    const sent: string[] = [];
    const counts = metrics();
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const queue = new EventQueue(async (d) => {
      await gate;
      sent.push(d.body);
      return true;
    }, counts);
    for (const n of [1, 2, 3]) queue.enqueue(delivery(n));
    expect([counts.Events, counts.Pending, sent]).toEqual([3, 3, []]);
    release();
    await queue.idle();
    expect([counts.Events, counts.Pending, sent]).toEqual([3, 0, ['1', '2', '3']]);
  });
});
