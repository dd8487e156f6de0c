import type { ClaimResult } from '@regevents/webhooks';
import type { LogEntry, LogRecord } from './record.js';
import type { TagState } from './tag-state.js';

export interface AppendResult {
  position: string;
  /** The key was already in the log: nothing was appended, `position` is the first copy's. */
  duplicate: boolean;
}

/** An entry handed to a consumer of a group; it stays pending until acknowledged or dead-lettered. */
export interface Delivery extends LogEntry {
  /** Failed attempts recorded so far in this group (survives consumer restarts). */
  failures: number;
}

export interface DeadLetter {
  /** Position in the dead-letter list (not in the log). */
  id: string;
  partition: number;
  /** Where the event was in the log. */
  position: string;
  record: LogRecord;
  error: string;
  attempts: number;
  deadAt: string;
}

export interface GroupStats {
  /** Entries not yet handed to any consumer of the group. */
  lag: number;
  /** Entries handed out and not acknowledged yet. */
  pending: number;
  deadLetters: number;
}

export interface RangeOptions {
  /** First position (inclusive); `-` for the beginning. */
  from: string;
  /** Last position (inclusive); `+` for the end. */
  to: string;
  count: number;
}

export interface Retention {
  /** Keep about this many entries per partition (trimmed approximately, as Redis `MAXLEN ~`). */
  maxLength?: number;
  /** Drop entries older than this (trimmed approximately, as Redis `MINID ~`). */
  maxAgeMs?: number;
}

/**
 * What the relay needs from a log engine. Every adapter must pass the contract suite in
 * `@regevents/relay/testing`. A log is split into `partitions` by repository; within a partition,
 * positions increase. Consumer groups read each partition independently, and a partition of a
 * group is worked on by one consumer at a time (`lease`), which keeps per-repository order.
 */
export interface RelayLog {
  readonly partitions: number;
  /** A short description for errors and logs (never credentials). */
  readonly name: string;
  /**
   * Appends `record` to its repository's partition, once per `record.key`; resolves when the engine
   * has it durably (as far as it is configured to). Together with it, `tagState` takes the tag
   * change the record carries (`tagChangeOf`; see `applyTagChange`), and a real record matching
   * what reconciliation recorded is kept marked `reconciled`, and a real tag delete is kept with
   * the `deletedDigest` the state held for the tag; a real event that writes a tag's entry writes
   * the time with it (see `TagState.tagsWithAges`).
   */
  append(record: LogRecord): Promise<AppendResult>;
  /** Creates the group if it does not exist, reading from the beginning of the log or from now. */
  createGroup(group: string, start: 'beginning' | 'now'): Promise<void>;
  /** Hands out up to `count` entries of `partition` that no consumer of the group has seen yet. */
  read(group: string, consumer: string, partition: number, count: number): Promise<Delivery[]>;
  /** Takes over the entries of `partition` that are pending in the group (whoever holds them), oldest first, from `cursor`. */
  claim(group: string, consumer: string, partition: number, cursor: string, count: number): Promise<{ deliveries: Delivery[]; cursor: string }>;
  /**
   * The group's record of handled events (exactly-once effects by `record.key`), for entries about
   * to run, many at once: each key is `claimed` (held for `leaseMs` by the token returned), `done`
   * (handled before) or `in-flight` (held by a claim that has not lapsed). A claim given with the
   * token that holds it is renewed (the token returned holds it from then on).
   */
  claimEvents(group: string, partition: number, claims: readonly { key: string; token?: string }[], leaseMs: number): Promise<ClaimResult[]>;
  /** Gives a claim up after its handlers failed, so the next delivery runs the event; ignored if `token` no longer holds it. */
  releaseEvent(group: string, partition: number, key: string, token: string): Promise<void>;
  /** Marks entries done in the group; the keys of `handled` are remembered as handled for `ttlMs`, in the same step. */
  ack(group: string, partition: number, positions: readonly string[], handled?: { keys: readonly string[]; ttlMs: number }): Promise<void>;
  /** Records one failed attempt and returns the group's count of failures for that entry. */
  recordFailure(group: string, partition: number, position: string): Promise<number>;
  /** Moves an entry to the group's dead letters and acknowledges it, together. */
  deadLetter(group: string, delivery: Delivery, error: string): Promise<void>;
  listDeadLetters(group: string, count: number): Promise<DeadLetter[]>;
  /** Removes a dead letter; resolves to whether it was there. */
  dropDeadLetter(group: string, partition: number, id: string): Promise<boolean>;
  /**
   * A consumer's heartbeat: keeps it a member of the group for `ttlMs` and returns the partitions
   * it holds now (a fair share of them; one consumer holds a partition at a time, and a dead
   * consumer's partitions are free once its lease lapses).
   */
  lease(group: string, consumer: string, ttlMs: number): Promise<number[]>;
  /** Gives up a consumer's partitions and membership at once (a graceful stop). */
  releaseLeases(group: string, consumer: string): Promise<void>;
  /** Entries of one partition between two positions, oldest first. */
  range(partition: number, options: RangeOptions): Promise<LogEntry[]>;
  groupStats(group: string): Promise<GroupStats>;
  /** Names of the groups that exist. */
  groups(): Promise<string[]>;
  /** The last known digest of each `repository:tag`, kept as events pass; what `reconcile` compares the registry with. */
  readonly tagState: TagState;
}
