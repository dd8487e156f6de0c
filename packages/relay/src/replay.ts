import { RelayConfigError } from './errors.js';
import type { RelayLog } from './log.js';
import { comparePositions, isPosition, type LogEntry } from './record.js';

export interface ReplayOptions {
  /** A time, a log position (`ms-seq`), or `beginning`. */
  from: Date | string;
  /** A time or a position, inclusive. Default: the end of the log when the replay reaches it. */
  to?: Date | string;
  /** Keeps only the entries it returns true for. */
  filter?: (entry: LogEntry) => boolean;
  /** Entries read from a partition at a time. Default 256. */
  pageSize?: number;
}

/** Redis takes any sequence up to 2^64 - 1; no real one comes near 2^53 within a millisecond. */
const LAST_SEQUENCE = Number.MAX_SAFE_INTEGER;

function bound(value: Date | string, edge: 'from' | 'to'): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RelayConfigError(`replay ${edge} is an invalid Date`);
    return edge === 'from' ? `${value.getTime()}-0` : `${value.getTime()}-${LAST_SEQUENCE}`;
  }
  if (edge === 'from' && value === 'beginning') return '-';
  if (typeof value === 'string' && isPosition(value)) return value;
  throw new RelayConfigError(`replay ${edge} must be a Date, a log position such as "1700000000000-0"${edge === 'from' ? ' or "beginning"' : ''} (got ${JSON.stringify(value)})`);
}

function after(position: string): string {
  const [ms, seq] = position.split('-');
  return `${ms}-${Number(seq) + 1}`;
}

/** Reads one partition page by page. */
async function* partitionEntries(log: RelayLog, partition: number, from: string, to: string, pageSize: number): AsyncGenerator<LogEntry> {
  let start = from;
  for (;;) {
    const page = await log.range(partition, { from: start, to, count: pageSize });
    yield* page;
    const last = page.at(-1);
    if (page.length < pageSize || !last) return;
    start = after(last.position);
  }
}

/**
 * Every entry of the log between two points, oldest first across partitions (by position, that
 * is by append time; within a repository, exactly in log order). Reads page by page, so memory
 * stays at one page per partition.
 */
export async function* replay(log: RelayLog, options: ReplayOptions): AsyncGenerator<LogEntry> {
  if (!options || typeof options !== 'object') throw new RelayConfigError('replay needs { from }');
  const from = bound(options.from, 'from');
  const to = options.to === undefined ? '+' : bound(options.to, 'to');
  const pageSize = options.pageSize ?? 256;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RelayConfigError('pageSize must be a positive integer');
  const filter = options.filter ?? (() => true);
  const sources = Array.from({ length: log.partitions }, (_, partition) => partitionEntries(log, partition, from, to, pageSize));
  const heads = await Promise.all(sources.map((source) => source.next()));
  for (;;) {
    let best = -1;
    for (const [index, head] of heads.entries()) {
      if (head.done) continue;
      const current = heads[best];
      if (best < 0 || (current && !current.done && comparePositions(head.value.position, current.value.position) < 0)) best = index;
    }
    const chosen = heads[best];
    if (!chosen || chosen.done) return;
    if (filter(chosen.value)) yield chosen.value;
    heads[best] = await (sources[best] as AsyncGenerator<LogEntry>).next();
  }
}
