import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeadline } from '../src/deadline.js';
import { LogUnavailableError } from '../src/errors.js';

const never = () => new Promise<never>(() => undefined);

describe('the append deadline (one timer for every pending append)', () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => void vi.useRealTimers());

  it('rejects each piece of work that has not answered once its own time is up, oldest first, and lets the others settle as they do', async () => {
    const withDeadline = createDeadline(100, 'the test log');
    const outcomes: string[] = [];
    const track = (name: string, work: Promise<unknown>) =>
      withDeadline(() => work).then(
        () => outcomes.push(`${name} answered`),
        (error: unknown) => outcomes.push(`${name} ${error instanceof LogUnavailableError ? 'expired' : 'failed'}`)
      );
    let answer!: (value: string) => void;
    const first = track('first', never());
    await vi.advanceTimersByTimeAsync(40);
    const second = track('second', new Promise((resolve) => (answer = resolve)));
    const third = track('third', Promise.reject(new Error('refused')));
    await vi.advanceTimersByTimeAsync(30);
    const fourth = track('fourth', never());
    answer('ok');
    await vi.advanceTimersByTimeAsync(30);
    expect(outcomes).toEqual(['third failed', 'second answered', 'first expired']);
    await vi.advanceTimersByTimeAsync(69);
    expect(outcomes).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all([first, second, third, fourth]);
    expect(outcomes).toEqual(['third failed', 'second answered', 'first expired', 'fourth expired']);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('the append deadline between appends', () => {
  it('keeps its one timer across idle moments, unreferenced while nothing waits, so it never holds a process open', async () => {
    const realSetTimeout = globalThis.setTimeout;
    const armed: NodeJS.Timeout[] = [];
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, ms?: number) => {
      const timer = realSetTimeout(callback, ms);
      armed.push(timer);
      return timer;
    }) as typeof setTimeout);
    try {
      const withDeadline = createDeadline(1000, 'the test log');
      // each append settles before the next starts: twenty idle moments
      for (let i = 0; i < 20; i++) expect(await withDeadline(() => Promise.resolve(i))).toBe(i);
      expect(armed).toHaveLength(1);
      const [timer] = armed as [NodeJS.Timeout];
      expect(timer.hasRef()).toBe(false);
      const pending = withDeadline(() => new Promise((resolve) => realSetTimeout(resolve, 5)));
      expect(timer.hasRef()).toBe(true);
      await pending;
      expect(timer.hasRef()).toBe(false);
      expect(armed).toHaveLength(1);
    } finally {
      spy.mockRestore();
      for (const timer of armed) clearTimeout(timer);
    }
  });
});
