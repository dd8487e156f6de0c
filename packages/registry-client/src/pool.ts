/**
 * Runs `work` over `items` with at most `limit` in flight. The first failure aborts the signal
 * handed to the others (their requests stop) and is what the call rejects with.
 */
export async function forEachConcurrent<T>(items: readonly T[], limit: number, signal: AbortSignal | undefined, work: (item: T, signal: AbortSignal) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  const combined = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      combined.throwIfAborted();
      const item = items[next++] as T;
      try {
        await work(item, combined);
      } catch (error) {
        failure ??= { error };
        controller.abort(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  signal?.throwIfAborted();
}
