import type { FormatId } from '@regevents/formats';
import { InvalidRecordError } from './errors.js';

/**
 * One accepted event as the log keeps it. `key` is the per-format event id (`distribution:<id>`,
 * `harbor:<id>`): the log appends a key once, so a redelivery adds nothing.
 */
export interface LogRecord {
  key: string;
  format: FormatId;
  /** The repository it concerns; the partition and the order of consumption follow it. */
  repository: string;
  /** When the relay accepted it (ISO 8601). */
  receivedAt: string;
  /** A distribution event as received (known or unknown action), or a normalized event (`occurredAt` as ISO text) for other formats. */
  event: unknown;
  /** Set on a dead letter sent back to its group: only that group runs it, the others skip it. */
  retry?: { group: string; deadLetter: string };
  /** `reconcile`: a synthetic event, appended by reconciliation for a change the registry never sent. */
  origin?: 'reconcile';
  /** A real event for a change reconciliation had already recorded: kept in the log, not dispatched to consumers again. */
  reconciled?: true;
  /**
   * A tag delete: the digest the log's tag state held for the tag when the delete was appended
   * (registries send only the tag). Written by the log with the append; enrichment reads it.
   */
  deletedDigest?: string;
}

/** The key the log appends once: the event's, and for a retried dead letter, that retry's. */
export function appendKey(record: LogRecord): string {
  return record.retry ? `${record.key}|retry:${record.retry.group}:${record.retry.deadLetter}` : record.key;
}

/** A record at its place in the log. Positions are `<milliseconds>-<sequence>`, increasing within a partition. */
export interface LogEntry {
  position: string;
  partition: number;
  record: LogRecord;
}

const POSITION = /^(\d+)-(\d+)$/;

/** Compares two positions (`ms-seq`), as Redis orders stream ids. */
export function comparePositions(a: string, b: string): number {
  const [, aMs = '0', aSeq = '0'] = POSITION.exec(a) ?? [];
  const [, bMs = '0', bSeq = '0'] = POSITION.exec(b) ?? [];
  return Number(aMs) - Number(bMs) || Number(aSeq) - Number(bSeq);
}

export function isPosition(value: string): boolean {
  return POSITION.test(value);
}

/** When an entry was appended, read from its position. */
export function positionTime(position: string): number {
  return Number(POSITION.exec(position)?.[1] ?? 0);
}

/** FNV-1a over the repository name: the same repository lands in the same partition on every runtime. */
export function partitionOf(repository: string, partitions: number): number {
  if (partitions <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < repository.length; i++) {
    hash ^= repository.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

export function encodeRecord(record: LogRecord): string {
  return JSON.stringify(record);
}

export function decodeRecord(text: unknown): LogRecord {
  if (typeof text !== 'string') throw new InvalidRecordError('a log entry has no record field');
  const record = JSON.parse(text) as Partial<LogRecord> | null;
  if (!record || typeof record.key !== 'string' || typeof record.repository !== 'string' || typeof record.format !== 'string') {
    throw new InvalidRecordError('a log entry holds something other than a relay record');
  }
  return record as LogRecord;
}
