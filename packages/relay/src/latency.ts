/** Upper bounds of the append latency buckets, in seconds (Prometheus' defaults, shifted down: appends take milliseconds). */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const;

export interface LatencyHistogram {
  /** Cumulative counts per upper bound (`le`), the last one `+Inf`. */
  buckets: { le: number; count: number }[];
  count: number;
  sumSeconds: number;
}

/** A fixed-bucket histogram: constant memory, and the same buckets the Prometheus export shows. */
export function createLatencyHistogram() {
  const counts = new Array<number>(LATENCY_BUCKETS.length + 1).fill(0);
  let sum = 0;
  let total = 0;
  return {
    observe(seconds: number): void {
      let index = LATENCY_BUCKETS.findIndex((bound) => seconds <= bound);
      if (index < 0) index = LATENCY_BUCKETS.length;
      counts[index] = (counts[index] ?? 0) + 1;
      sum += seconds;
      total++;
    },
    snapshot(): LatencyHistogram {
      let running = 0;
      const bounds = [...LATENCY_BUCKETS, Number.POSITIVE_INFINITY];
      return { buckets: bounds.map((le, index) => ({ le, count: (running += counts[index] ?? 0) })), count: total, sumSeconds: sum };
    },
  };
}
