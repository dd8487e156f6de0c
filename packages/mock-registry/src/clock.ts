/** Time as the mock registry sees it; inject a fake one to make retries and backoff instant in tests. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * A clock whose time only moves when something sleeps on it: every sleep resolves on the next
 * task (a zero timeout, so a retry-forever loop cannot starve I/O) and advances `now()` by its
 * duration. Threshold/backoff retry loops then run at full speed while the timestamps and waits
 * they record stay exactly what the policy says.
 */
export function createInstantClock(start = Date.UTC(2025, 0, 1)): Clock & { advance(ms: number): void } {
  let current = start;
  return {
    now: () => current,
    advance(ms: number) {
      current += ms;
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      await new Promise((resolve) => setTimeout(resolve, 0));
      current += Math.max(0, ms);
    },
  };
}

/** RFC 3339 with fractional seconds trimmed of trailing zeros, as Go's time.Time marshals. */
export function rfc3339(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d*?)0*Z$/, (_match, digits: string) => (digits ? `.${digits}Z` : 'Z'));
}
