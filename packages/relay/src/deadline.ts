import { LogUnavailableError } from './errors.js';

interface Waiting {
  expiresAt: number;
  reject: (error: Error) => void;
  expired: (message: string) => Error;
}

/**
 * Starts the work and settles with it, or rejects after the deadline's `ms` with `expired(message)` (default
 * `LogUnavailableError`). A start that throws instead of returning a promise rejects the same way.
 */
export type Deadline = <T>(start: () => Promise<T>, expired?: (message: string) => Error) => Promise<T>;

const unavailable = (message: string): Error => new LogUnavailableError(message);

/**
 * Settles with the work it is given, or rejects after `ms` (with `LogUnavailableError` unless told otherwise). Redis
 * clients queue commands while disconnected, so without a deadline an append would hold the
 * registry's request until the registry gives up on it and sends the event again.
 *
 * Every piece of work gets the same `ms`, so they expire in the order they started: one timer,
 * armed for the oldest, serves them all (no timer and no race of promises per append). When the
 * last pending work settles, the timer is not cleared but unreferenced: it fires once more, finds
 * nothing, and stops, and the next work (under load, usually well within `ms`) finds it armed
 * instead of creating one.
 */
export function createDeadline(ms: number, what: string): Deadline {
  // a Set iterates in insertion order: its first member is the next to expire
  const waiting = new Set<Waiting>();
  // armed no later than the first member expires; unreferenced while the Set is empty
  let timer: ReturnType<typeof setTimeout> | undefined;

  function expire(): void {
    timer = undefined;
    const now = performance.now();
    for (const entry of waiting) {
      if (entry.expiresAt > now) {
        timer = setTimeout(expire, entry.expiresAt - now);
        return;
      }
      waiting.delete(entry);
      entry.reject(entry.expired(`${what} did not answer within ${ms} ms`));
    }
  }

  function settle(entry: Waiting): void {
    waiting.delete(entry);
    // nothing left to time: the timer no longer keeps the process alive (where timers have unref, as in Node and Bun; elsewhere it fires once more, finding nothing)
    if (waiting.size === 0) refTimer(timer, false);
  }

  function started<T>(start: () => Promise<T>): Promise<T> {
    try {
      return start();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  return <T>(start: () => Promise<T>, expired = unavailable) =>
    new Promise<T>((resolve, reject) => {
      if (waiting.size === 0) {
        if (timer === undefined) timer = setTimeout(expire, ms);
        else refTimer(timer, true);
      }
      const entry: Waiting = { expiresAt: performance.now() + ms, reject, expired };
      waiting.add(entry);
      started(start).then(
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

function refTimer(timer: ReturnType<typeof setTimeout> | undefined, ref: boolean): void {
  const handle = timer as { ref?: () => unknown; unref?: () => unknown } | undefined;
  if (typeof handle !== 'object') return;
  if (ref) handle.ref?.();
  else handle.unref?.();
}
