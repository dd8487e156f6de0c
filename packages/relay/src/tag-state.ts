import type { LogRecord } from './record.js';

/** What the log knows of one `repository:tag`. */
export interface TagStateEntry {
  /** The tag's last known manifest digest; `''` for a tag reconciliation found gone (kept until the real delete arrives). */
  digest: string;
  /** Written by reconciliation and not confirmed by a real event since: a real event matching it is late. */
  reconciled: boolean;
}

/**
 * The last known digest of each `repository:tag`, kept by the log as records are appended and
 * compared with the registry by `reconcile`. It lives in the log's store (Redis hashes for the
 * Redis log).
 */
export interface TagState {
  get(repository: string, tag: string): Promise<TagStateEntry | undefined>;
  /** Every tag of `repository` the state holds. */
  tags(repository: string): Promise<Map<string, TagStateEntry>>;
  /** The repositories the state holds tags of, in no particular order. */
  repositories(): AsyncIterable<string>;
  /**
   * Every tag of `repository` the state holds (as `tags`), and how long ago a real push last named
   * each tag, in ms, whether or not it moved the tag (`ages`: none for entries reconciliation wrote
   * or a previous version of the log left), read in one step: no append lands between the two, so
   * an entry a real event wrote always comes with its age. Ages, not times: each is measured on
   * the state's own clock (the Redis server's for the Redis log) as it is read, so no other clock
   * is compared with it.
   * `reconcile` leaves a tag alone while its age at the start of its tag list is below `settleMs`.
   * The Redis log forgets a repository's times an hour after a real event last wrote one there.
   * Optional: without it, reconciliation reads `tags` and has no settle window.
   */
  tagsWithAges?(repository: string): Promise<TagsWithAges>;
}

/** A repository's tags and their change ages, read together (`TagState.tagsWithAges`). */
export interface TagsWithAges {
  tags: Map<string, TagStateEntry>;
  ages: Map<string, number>;
}

/** A tag's entry as one string (a hash field's value): `~` marks what reconciliation wrote. */
export function encodeEntry(entry: TagStateEntry): string {
  return entry.reconciled ? `~${entry.digest}` : entry.digest;
}

export function decodeEntry(value: string): TagStateEntry {
  return value.startsWith('~') ? { digest: value.slice(1), reconciled: true } : { digest: value, reconciled: false };
}

/** What a record says about a tag: it now names `digest`, or (`digest: ''`) it is gone. */
export interface TagChange {
  repository: string;
  tag: string;
  digest: string;
  /** Appended by reconciliation rather than sent by the registry. */
  reconciled: boolean;
}

const BLOB_MEDIA_TYPE = 'application/octet-stream';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function change(record: LogRecord, repository: string | undefined, tag: string | undefined, digest: string): TagChange | undefined {
  return repository && tag ? { repository, tag, digest, reconciled: record.origin === 'reconcile' } : undefined;
}

/** The tag change a record carries: a manifest pushed by tag, or a tag deleted; `undefined` for everything else, and for a retried dead letter. */
export function tagChangeOf(record: LogRecord): TagChange | undefined {
  // a dead letter sent back changed the state when it was first appended; applied again it could move a tag back
  if (record.retry) return undefined;
  const event = record.event as Record<string, unknown> | null;
  if (!event || typeof event !== 'object') return undefined;
  if (record.format === 'distribution') {
    const target = (event.target ?? {}) as Record<string, unknown>;
    const digest = text(target.digest);
    if (event.action === 'push' && digest && target.mediaType !== BLOB_MEDIA_TYPE) return change(record, text(target.repository), text(target.tag), digest);
    if (event.action === 'delete' && !digest) return change(record, text(target.repository), text(target.tag), '');
    return undefined;
  }
  const digest = text(event.digest);
  if (event.kind === 'artifact.pushed' && digest) return change(record, text(event.repository), text(event.tag), digest);
  if (event.kind === 'tag.deleted') return change(record, text(event.repository), text(event.tag), '');
  return undefined;
}

/**
 * What appending a record does to the state, for logs to apply with the append: the tag's new
 * entry (`undefined`: remove it), whether the record is a real event for a change
 * reconciliation already recorded (late: consumers had the synthetic one), and whether the
 * record's time is kept as the tag's (`writesTime`, see `TagState.tagsWithAges`): true for every
 * real push, one that leaves the entry as it was too (the registry sends a push before it links
 * the tag, and the tag may be gone meanwhile, its delete event lost: reconciliation must leave it
 * to settle), false for reconciliation's writes and every removal, which drop it. Reconciliation's
 * deletes leave a tombstone (`~`), so the registry's own delete, should it come late, is known.
 */
export function applyTagChange(change: TagChange, known: string | undefined): { entry: string | undefined; late: boolean; writesTime: boolean; deletedDigest?: string } {
  if (change.reconciled) return { entry: encodeEntry({ digest: change.digest, reconciled: true }), late: false, writesTime: false };
  const late = known === encodeEntry({ digest: change.digest, reconciled: true });
  if (change.digest !== '') return { entry: change.digest, late, writesTime: true };
  // a real delete names only the tag: what the state held is the digest it removed
  const deletedDigest = known === undefined ? '' : decodeEntry(known).digest;
  return deletedDigest === '' ? { entry: undefined, late, writesTime: false } : { entry: undefined, late, writesTime: false, deletedDigest };
}

/** The memory log's state: repository → tag → encoded entry and when a real event wrote it, applied synchronously with each append. */
export interface MemoryTagState extends TagState {
  /** Applies a record's tag change; returns the record to append (marked `reconciled` when late, with `deletedDigest` for a tag delete). */
  apply(record: LogRecord): LogRecord;
  tagsWithAges(repository: string): Promise<TagsWithAges>;
}

interface MemoryEntry {
  value: string;
  /** When a real push last named the tag, by the log's clock. */
  writtenAt?: number;
}

/** `now`: the log's clock, in milliseconds. */
export function createMemoryTagState(now: () => number): MemoryTagState {
  const repositories = new Map<string, Map<string, MemoryEntry>>();
  const entries = (repository: string) => [...(repositories.get(repository) ?? [])];
  const tagsOf = (found: [string, MemoryEntry][]) => new Map(found.map(([tag, entry]) => [tag, decodeEntry(entry.value)]));
  return {
    apply(record) {
      const found = tagChangeOf(record);
      if (!found) return record;
      const tags = repositories.get(found.repository) ?? new Map<string, MemoryEntry>();
      const { entry, late, writesTime, deletedDigest } = applyTagChange(found, tags.get(found.tag)?.value);
      if (entry === undefined) tags.delete(found.tag);
      else tags.set(found.tag, writesTime ? { value: entry, writtenAt: now() } : { value: entry });
      if (tags.size === 0) repositories.delete(found.repository);
      else repositories.set(found.repository, tags);
      const marked = late ? { ...record, reconciled: true as const } : record;
      // a dead letter sent back keeps the digest its first append found
      return deletedDigest === undefined || record.deletedDigest !== undefined ? marked : { ...marked, deletedDigest };
    },
    async get(repository, tag) {
      const found = repositories.get(repository)?.get(tag);
      return found === undefined ? undefined : decodeEntry(found.value);
    },
    async tags(repository) {
      return tagsOf(entries(repository));
    },
    async *repositories() {
      yield* [...repositories.keys()];
    },
    async tagsWithAges(repository) {
      // both from one synchronous read: no append runs in between
      const found = entries(repository);
      const at = now();
      return {
        tags: tagsOf(found),
        ages: new Map(found.flatMap(([tag, entry]) => (entry.writtenAt === undefined ? [] : [[tag, at - entry.writtenAt] as const]))),
      };
    },
  };
}
