import { createMemoryDedupeStore, type DedupeStore } from '@regevents/webhooks';
import { RelayConfigError } from './errors.js';
import { balanceLeases, type Lease } from './leases.js';
import type { AppendResult, DeadLetter, Delivery, GroupStats, RelayLog, Retention } from './log.js';
import { createMemoryTagState } from './tag-state.js';
import { appendKey, comparePositions, partitionOf, type LogEntry, type LogRecord } from './record.js';

export interface MemoryLogOptions {
  /** Partitions by repository. Default 1. */
  partitions?: number;
  /** What to keep. Default: the last 100,000 entries per partition, so memory stays bounded. */
  retention?: Retention;
  /** Clock in milliseconds; inject one in tests. Default `Date.now`. */
  now?: () => number;
}

interface Partition {
  entries: LogEntry[];
  lastMs: number;
  sequence: number;
}

interface GroupPartition {
  /** Position of the last entry handed out; later ones are the lag. */
  lastDelivered: string;
  pending: Map<string, { consumer: string; entry: LogEntry }>;
  failures: Map<string, number>;
  dead: DeadLetter[];
}

interface Group {
  partitions: GroupPartition[];
  members: Map<string, number>;
  leases: (Lease | undefined)[];
}

const DEFAULT_MAX_LENGTH = 100_000;

export function positiveInteger(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RelayConfigError(`${option} must be a positive integer`);
  return value;
}

/** Index of the first entry after `position`, or at it when `inclusive` (entries are sorted by position). */
function indexAfter(entries: readonly LogEntry[], position: string, inclusive = false): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = comparePositions((entries[middle] as LogEntry).position, position);
    if (order < 0 || (order === 0 && !inclusive)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The embedded log: one process, nothing survives it. For tests, the demo, and a relay and its
 * consumers in one process. Behaves as the Redis log does (the same contract suite passes).
 */
export function createMemoryLog(options: MemoryLogOptions = {}): RelayLog {
  const partitionCount = positiveInteger(options.partitions, 1, 'partitions');
  const maxLength = positiveInteger(options.retention?.maxLength, DEFAULT_MAX_LENGTH, 'retention.maxLength');
  const maxAgeMs = options.retention?.maxAgeMs;
  if (maxAgeMs !== undefined && !(maxAgeMs > 0)) throw new RelayConfigError('retention.maxAgeMs must be a positive number');
  const now = options.now ?? Date.now;
  const partitions: Partition[] = Array.from({ length: partitionCount }, () => ({ entries: [], lastMs: 0, sequence: 0 }));
  const keys = new Map<string, string>();
  const groups = new Map<string, Group>();
  const dedupeStores = new Map<string, DedupeStore>();
  const tagState = createMemoryTagState(now);
  let deadIds = 0;

  /** A group's record of handled event keys: the webhooks memory store, one per group. */
  function handledOf(name: string): DedupeStore {
    let store = dedupeStores.get(name);
    if (!store) {
      store = createMemoryDedupeStore();
      dedupeStores.set(name, store);
    }
    return store;
  }

  function trim(partition: Partition): void {
    const oldest = maxAgeMs === undefined ? 0 : now() - maxAgeMs;
    let drop = Math.max(0, partition.entries.length - maxLength);
    while (drop < partition.entries.length && Number((partition.entries[drop] as LogEntry).position.split('-')[0]) < oldest) drop++;
    for (const entry of partition.entries.splice(0, drop)) keys.delete(appendKey(entry.record));
  }

  function group(name: string): Group {
    const found = groups.get(name);
    if (!found) throw new RelayConfigError(`no consumer group ${JSON.stringify(name)} in this log`);
    return found;
  }

  function partitionOfGroup(name: string, partition: number): GroupPartition {
    const found = group(name).partitions[partition];
    if (!found) throw new RelayConfigError(`partition ${partition} does not exist (the log has ${partitionCount})`);
    return found;
  }

  function deliver(state: GroupPartition, consumer: string, entry: LogEntry): Delivery {
    state.pending.set(entry.position, { consumer, entry });
    return { ...entry, failures: state.failures.get(entry.position) ?? 0 };
  }

  const log: RelayLog = {
    partitions: partitionCount,
    name: `memory log (${partitionCount} partition${partitionCount === 1 ? '' : 's'})`,
    async append(given: LogRecord): Promise<AppendResult> {
      const existing = keys.get(appendKey(given));
      if (existing !== undefined) return { position: existing, duplicate: true };
      const record = tagState.apply(given);
      const index = partitionOf(record.repository, partitionCount);
      const partition = partitions[index] as Partition;
      const ms = Math.max(now(), partition.lastMs);
      partition.sequence = ms === partition.lastMs ? partition.sequence + 1 : 0;
      partition.lastMs = ms;
      const position = `${ms}-${partition.sequence}`;
      partition.entries.push({ position, partition: index, record });
      keys.set(appendKey(record), position);
      trim(partition);
      return { position, duplicate: false };
    },
    async createGroup(name, start) {
      if (groups.has(name)) return;
      groups.set(name, {
        partitions: partitions.map((partition) => ({
          lastDelivered: start === 'now' ? partition.entries.at(-1)?.position ?? `${partition.lastMs}-${partition.sequence}` : '0-0',
          pending: new Map(),
          failures: new Map(),
          dead: [],
        })),
        members: new Map(),
        leases: partitions.map(() => undefined),
      });
    },
    async read(name, consumer, partition, count) {
      const state = partitionOfGroup(name, partition);
      const entries = (partitions[partition] as Partition).entries;
      const start = indexAfter(entries, state.lastDelivered);
      const batch = entries.slice(start, start + count);
      const last = batch.at(-1);
      if (last) state.lastDelivered = last.position;
      return batch.map((entry) => deliver(state, consumer, entry));
    },
    async claim(name, consumer, partition, cursor, count) {
      const state = partitionOfGroup(name, partition);
      const positions = [...state.pending.keys()].filter((position) => comparePositions(position, cursor) >= 0).sort(comparePositions);
      const taken = positions.slice(0, count);
      const deliveries = taken.map((position) => deliver(state, consumer, (state.pending.get(position) as { entry: LogEntry }).entry));
      return { deliveries, cursor: positions[count] ?? '0-0' };
    },
    async claimEvents(name, _partition, claims, leaseMs) {
      const store = handledOf(name);
      // the memory store answers at once: a renewal (release, then claim) is not interleaved with anything
      return Promise.all(
        claims.map(({ key, token }) => {
          if (token !== undefined) void store.release(key, token);
          return store.claim(key, leaseMs);
        })
      );
    },
    async releaseEvent(name, _partition, key, token) {
      await handledOf(name).release(key, token);
    },
    async ack(name, partition, positions, handled) {
      const state = partitionOfGroup(name, partition);
      for (const position of positions) {
        state.pending.delete(position);
        state.failures.delete(position);
      }
      if (handled) for (const key of handled.keys) await handledOf(name).complete(key, '', handled.ttlMs);
    },
    async recordFailure(name, partition, position) {
      const state = partitionOfGroup(name, partition);
      const failures = (state.failures.get(position) ?? 0) + 1;
      state.failures.set(position, failures);
      return failures;
    },
    async deadLetter(name, delivery, error) {
      const state = partitionOfGroup(name, delivery.partition);
      state.dead.push({
        id: `${++deadIds}-0`,
        partition: delivery.partition,
        position: delivery.position,
        record: delivery.record,
        error,
        attempts: state.failures.get(delivery.position) ?? delivery.failures,
        deadAt: new Date(now()).toISOString(),
      });
      state.pending.delete(delivery.position);
      state.failures.delete(delivery.position);
    },
    async listDeadLetters(name, count) {
      return group(name)
        .partitions.flatMap((state) => state.dead)
        .sort((a, b) => comparePositions(a.id, b.id))
        .slice(0, count);
    },
    async dropDeadLetter(name, partition, id) {
      const state = partitionOfGroup(name, partition);
      const index = state.dead.findIndex((letter) => letter.id === id);
      if (index < 0) return false;
      state.dead.splice(index, 1);
      return true;
    },
    async lease(name, consumer, ttlMs) {
      const found = group(name);
      return balanceLeases(found.leases, found.members, consumer, ttlMs, now());
    },
    async releaseLeases(name, consumer) {
      const found = group(name);
      found.members.delete(consumer);
      for (const [partition, lease] of found.leases.entries()) if (lease?.consumer === consumer) found.leases[partition] = undefined;
    },
    async range(partition, { from, to, count }) {
      const entries = partitions[partition]?.entries ?? [];
      const start = from === '-' ? 0 : indexAfter(entries, from, true);
      const end = to === '+' ? entries.length : indexAfter(entries, to);
      return entries.slice(start, Math.min(end, start + count));
    },
    async groupStats(name): Promise<GroupStats> {
      const found = group(name);
      let lag = 0;
      let pending = 0;
      let deadLetters = 0;
      for (const [index, state] of found.partitions.entries()) {
        const entries = (partitions[index] as Partition).entries;
        lag += entries.length - indexAfter(entries, state.lastDelivered);
        pending += state.pending.size;
        deadLetters += state.dead.length;
      }
      return { lag, pending, deadLetters };
    },
    async groups() {
      return [...groups.keys()];
    },
    tagState,
  };
  return log;
}
