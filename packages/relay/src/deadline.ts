import { LogUnavailableError } from './errors.js';

interface Waiting {
  expiresAt: number;
  reject: (error: LogUnavailableError) => void;
}

/**
 * Settles with the work it is given, or rejects with `LogUnavailableError` after `ms`. Redis
 * clients queue commands while disconnected, so without a deadline an append would hold the
 * registry's request until the registry gives up on it and sends the event again.
 *
 * Every piece of work gets the same `ms`, so they expire in the order they started: one timer,
 * armed for the oldest, serves them all (no timer and no race of promises per append).
 */
export function createDeadline(ms: number, what: string): <T>(work: Promise<T>) => Promise<T> {
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
      entry.reject(new LogUnavailableError(`${what} did not answer within ${ms} ms`));
    }
  }

  function arm(delay: number): void {
    timer = setTimeout(expire, delay);
  }

  return <T>(work: Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const entry: Waiting = { expiresAt: performance.now() + ms, reject };
      waiting.add(entry);
      if (timer === undefined) arm(ms);
      work.then(
        (value) => {
          waiting.delete(entry);
          resolve(value);
        },
        (error: unknown) => {
          waiting.delete(entry);
          reject(error);
        }
      );
    });
}
