import { sleep } from '@regevents/registry-client';
import type { LoopErrorHandler } from './loop-types.js';

/** How `persist` retries: its longest pause, whether its first call waits a pause, which failures it reports (`first`: only its first). */
export interface PersistOptions {
  capMs?: number;
  afterFailure?: boolean;
  report?: 'each' | 'first' | 'none';
}

/**
 * Retries a log call until it works or the consumer stops (then undefined): a Redis restart
 * pauses the group, it does not end it.
 */
export type Persist = <T>(call: () => Promise<T>, signal: AbortSignal, retry?: PersistOptions) => Promise<T | undefined>;

/**
 * The loop's one way to retry a log call. Pauses after each failure (and before the first call
 * with `afterFailure`: the caller's own call failed), `pollMs x 5` (at most 1 s) at first, doubling
 * up to `capMs`; reads, claims, failure records and dead letters keep that first pause, so they go
 * on within it of Redis coming back. Reports every failure unless told otherwise.
 */
export function createPersist(pollMs: number, reportError: LoopErrorHandler): Persist {
  const retryPauseMs = Math.min(1000, pollMs * 5);
  return async function persist<T>(call: () => Promise<T>, signal: AbortSignal, retry: PersistOptions = {}): Promise<T | undefined> {
    const { capMs = retryPauseMs, report = 'each' } = retry;
    let pause = retryPauseMs;
    const rested = async () => {
      await sleep(pause, signal);
      pause = Math.min(capMs, pause * 2);
      return !signal.aborted;
    };
    if (retry.afterFailure && !(await rested())) return undefined;
    for (let first = true; ; first = false) {
      try {
        return await call();
      } catch (error) {
        if (report === 'each' || (report === 'first' && first)) reportError(error);
        if (signal.aborted || !(await rested())) return undefined;
      }
    }
  };
}
