/**
 * Resolves after `ms`, or as soon as `signal` aborts (at once when it already has): a wait a stop
 * cuts short. It never rejects, so a loop ends its wait and then sees `signal.aborted` (or calls
 * `signal.throwIfAborted()`) in its own terms.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    // an abort that came before the wait fires no event any more
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The pause before a retry that follows `attempt` earlier retries: 250 ms, doubling each time. */
export const retryPauseMs = (attempt: number): number => 250 * 2 ** attempt;

/** A pause before a retry; a stop during it rejects with the signal's reason, as the request would. */
export async function pauseBeforeRetry(ms: number, signal?: AbortSignal): Promise<void> {
  await sleep(ms, signal);
  signal?.throwIfAborted();
}
