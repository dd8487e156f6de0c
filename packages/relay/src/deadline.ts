import { LogUnavailableError } from './errors.js';

/**
 * Settles with `work`, or rejects after `ms` with `expire(message)` (default `LogUnavailableError`).
 * Redis clients queue commands while disconnected, so without a deadline an append would hold the
 * registry's request until the registry gives up on it and sends the event again.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string, expire: (message: string) => Error = (message) => new LogUnavailableError(message)): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expire(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
