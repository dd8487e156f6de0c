/**
 * A hang detector, not a speed test: an input that takes longer than this is a hang or
 * catastrophic backtracking, orders of magnitude past normal cost. Speed is for the benchmarks.
 */
export const HANG_THRESHOLD_MS = 2_000;

export function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}
