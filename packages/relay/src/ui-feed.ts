import type { RelayLog } from './log.js';
import type { LogEntry } from './record.js';

/** One log entry as the live view shows it: short strings only, whatever the event held. */
export interface EventSummary {
  position: string;
  partition: number;
  key: string;
  format: string;
  repository: string;
  /** The distribution `action`, or the normalized `kind`. */
  action: string;
  tag: string;
  digest: string;
  mediaType: string;
  receivedAt: string;
  /** Set when a dead letter was sent back to this group. */
  retryOf: string;
}

const MAX_TEXT = 300;

function text(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, MAX_TEXT) : '';
}

export function summarize(entry: LogEntry): EventSummary {
  const { record } = entry;
  const event = (record.event ?? {}) as Record<string, unknown>;
  const target = (typeof event['target'] === 'object' && event['target'] !== null ? event['target'] : {}) as Record<string, unknown>;
  return {
    position: entry.position,
    partition: entry.partition,
    key: text(record.key),
    format: text(record.format),
    repository: text(record.repository),
    action: text(event['action'] ?? event['kind']),
    tag: text(target['tag'] ?? event['tag']),
    digest: text(target['digest'] ?? event['digest']),
    mediaType: text(target['mediaType'] ?? event['mediaType']),
    receivedAt: text(record.receivedAt),
    retryOf: record.retry ? text(record.retry.group) : '',
  };
}

export interface LogFollower {
  /** Entries appended since the last call, oldest first per partition, at most `pageSize` per partition. */
  next(): Promise<LogEntry[]>;
}

/**
 * Follows the end of a log by polling each partition from where it last stopped, so it works on
 * every `RelayLog` without a push channel. Starts at `since` (log positions are append times).
 */
export function followLog(log: RelayLog, since: number, pageSize: number): LogFollower {
  // the last position seen per partition: ranges are inclusive, so it comes back first and is skipped
  const cursors = Array.from({ length: log.partitions }, () => ({ from: `${since}-0`, seen: '' }));
  return {
    async next() {
      const pages = await Promise.all(
        cursors.map(async (cursor, partition) => {
          const page = await log.range(partition, { from: cursor.from, to: '+', count: pageSize + 1 });
          const fresh = page.filter((entry) => entry.position !== cursor.seen).slice(0, pageSize);
          const last = fresh.at(-1);
          if (last) cursor.from = cursor.seen = last.position;
          return fresh;
        }),
      );
      return pages.flat();
    },
  };
}
