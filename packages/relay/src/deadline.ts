import { LogUnavailableError } from './errors.js';

interface Waiting {
  expiresAt: number;
  reject: (error: Error) => void;
  expired: (message: string) => Error;
}

/** Settles with `work`, or rejects after the deadline's `ms` with `expired(message)` (default `LogUnavailableError`). */
export type Deadline = <T>(work: Promise<T>, expired?: (message: string) => Error) => Promise<T>;

const unavailable = (message: string): Error => new LogUnavailableError(message);

/**
 * Settles with the work it is given, or rejects after `ms` (with `LogUnavailableError` unless told otherwise). Redis
 * clients queue commands while disconnected, so without a deadline an append would hold the
 * registry's request until the registry gives up on it and sends the event again.
 *
 * Every piece of work gets the same `ms`, so they expire in the order they started: one timer,
 * armed for the oldest, serves them all (no timer and no race of promises per append).
 */
export function createDeadline(ms: number, what: string): Deadline {
  // a Set iterates in insertion order: its first member is the next to expire
  const waiting = new Set<Waiting>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  function expire(): void {
    timer = undefined;
    const now = performance.now();
    for (const entry of waiting) {
      if (entry.expiresAt > now) {
        arm(entry.expiresAt - now);
        return;
      }
      waiting.delete(entry);
      entry.reject(entry.expired(`${what} did not answer within ${ms} ms`));
    }
  }

  function arm(delay: number): void {
    timer = setTimeout(expire, delay);
  }

  // nothing left to time: no timer keeps the process alive
  function settle(entry: Waiting): void {
    waiting.delete(entry);
    if (waiting.size === 0 && timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
  }

  return <T>(work: Promise<T>, expired = unavailable) =>
    new Promise<T>((resolve, reject) => {
      const entry: Waiting = { expiresAt: performance.now() + ms, reject, expired };
      waiting.add(entry);
      if (timer === undefined) arm(ms);
      work.then(
        (value) => {
          settle(entry);
          resolve(value);
        },
        (error: unknown) => {
          settle(entry);
          reject(error);
        }
      );
    });
}
