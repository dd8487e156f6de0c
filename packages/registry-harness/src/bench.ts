export interface BenchTask {
  name: string;
  /** One unit of work; `ops` says how many operations it performs. */
  run: () => unknown;
  ops?: number;
}

export interface BenchResult {
  name: string;
  opsPerSecond: number;
  /** Throughput relative to the first task, the in-run baseline. */
  ratio: number;
}

export interface BenchOptions {
  rounds?: number;
  /** Repetitions of each task per round. */
  batch?: number;
  warmupRounds?: number;
}

/**
 * Measures tasks side by side: every round runs a batch of each task in turn, so all of them
 * see the same machine load, JIT state and GC pressure. Sequential measurement (all of A, then
 * all of B) turns a busy neighbour into a fake speed difference.
 */
export function interleavedBench(tasks: BenchTask[], options: BenchOptions = {}): BenchResult[] {
  const rounds = options.rounds ?? 40;
  const batch = options.batch ?? 100;
  const elapsed = new Array<number>(tasks.length).fill(0);
  for (let round = -(options.warmupRounds ?? 5); round < rounds; round++) {
    tasks.forEach((task, index) => {
      const start = performance.now();
      for (let i = 0; i < batch; i++) task.run();
      if (round >= 0) elapsed[index] = (elapsed[index] ?? 0) + performance.now() - start;
    });
  }
  const throughput = tasks.map((task, index) => ((task.ops ?? 1) * batch * rounds) / ((elapsed[index] ?? 1) / 1000));
  const baseline = throughput[0] ?? 1;
  return tasks.map((task, index) => ({ name: task.name, opsPerSecond: throughput[index] ?? 0, ratio: (throughput[index] ?? 0) / baseline }));
}

/** What `recordResponseTimes` needs of an autocannon run: its per-response event. */
export interface ResponseEvents {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): unknown;
}

/**
 * Keeps every 2xx response time a load run reports and answers their p99 in microseconds.
 * autocannon times each response with process.hrtime (fractional milliseconds) but keeps them in a
 * histogram of whole milliseconds, which cannot tell apart handlers that answer in under one.
 */
export function recordResponseTimes(run: ResponseEvents): { p99Micros: () => number } {
  const times: number[] = [];
  run.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    if (Math.floor(Number(statusCode) / 100) === 2) times.push(responseTimeMs);
  });
  return { p99Micros: () => 1000 * nearestRankPercentile(times, 0.99) };
}

/** The nearest-rank percentile of the values (NaN for none). */
export function nearestRankPercentile(values: readonly number[], fraction: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

/** The lowest and highest of some per-round ratios, as `min-max` with two decimals. */
export function ratioSpread(ratios: readonly number[]): string {
  return `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
}

export function printBench(title: string, results: BenchResult[], unit = 'ops/s'): void {
  console.log(`\n${title}`);
  console.table(results.map((r) => ({ task: r.name, [unit]: Math.round(r.opsPerSecond), 'vs baseline': `${r.ratio.toFixed(2)}x` })));
}

export interface BenchReport {
  package: string;
  /** Names the saved file when a package saves more than one report; default: the package name. */
  id?: string;
  title: string;
  /** What the ratios are measured against, e.g. `JSON.parse alone`. */
  baseline: string;
  unit: string;
  results: BenchResult[];
  /** Free-form figures a table cannot hold (p99 latency, wall times). */
  notes?: string[];
  target?: string;
}

/**
 * Prints a report and saves it under bench/results/ at the repository root, where
 * `npm run bench` gathers every package's report into bench/results.json and a table.
 */
export async function saveBenchReport(report: BenchReport): Promise<void> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  printBench(`${report.package}: ${report.title}`, report.results, report.unit);
  for (const note of report.notes ?? []) console.log(note);
  const dir = new URL('../../../bench/results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const file = new URL(`${report.id ?? report.package.replace(/^@regevents\//, '')}.json`, dir);
  await writeFile(file, `${JSON.stringify({ ...report, measuredAt: new Date().toISOString() }, null, 2)}\n`);
}
