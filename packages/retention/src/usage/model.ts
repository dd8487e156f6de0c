import type { Descriptor } from '@regevents/types';

/**
 * Where a push time came from: an event the tracker saw (`push-event`), the first event of any kind
 * it saw for a manifest whose push it missed (`first-event`), or the registry itself when no event
 * was seen (`config-created`: the image config's `created`). Plans show it, so a time guessed from
 * the registry can be told from one observed.
 */
export type PushTimeSource = 'push-event' | 'first-event' | 'config-created';

/** What the tracker knows of one manifest (by digest) in one repository. Times are epoch milliseconds. */
export interface ManifestUsage {
  digest: string;
  mediaType?: string;
  /** The manifest's own bytes. */
  size?: number;
  pushedAt?: number;
  pushedAtSource?: PushTimeSource;
  lastPulledAt?: number;
  pulls: number;
  /** Config then layers, or an index's children (from push events with `events.includereferences`). */
  references?: Descriptor[];
}

/** What the tracker knows of one tag. */
export interface TagUsage {
  tag: string;
  /** The digest the tag pointed at after its last push seen. */
  digest?: string;
  pushedAt?: number;
  pushedAtSource?: PushTimeSource;
  lastPulledAt?: number;
  pulls: number;
}

/** A snapshot: read-only, as a store may hand the same one to every reader until its next record. */
export interface RepositoryUsage {
  readonly manifests: ReadonlyMap<string, ManifestUsage>;
  readonly tags: ReadonlyMap<string, TagUsage>;
}

/** The usage a store builds before it hands it out. */
export interface RepositoryUsageDraft extends RepositoryUsage {
  readonly manifests: Map<string, ManifestUsage>;
  readonly tags: Map<string, TagUsage>;
}

export interface PushRecord {
  digest: string;
  tag?: string;
  at: number;
  mediaType?: string;
  size?: number;
  references?: Descriptor[];
}

export interface PullRecord {
  digest: string;
  tag?: string;
  at: number;
}

/** A deleted manifest (`digest`) or a removed tag (`tag`). */
export type DeleteRecord = { digest: string; tag?: undefined } | { tag: string; digest?: undefined };

/**
 * Where usage lives. Every method is one atomic update of one repository, safe to call again with
 * the same record (the relay's group delivers each event once, but a store must not corrupt on a
 * repeat): times only move forward, a pull count is the only thing a repeat can change.
 */
export interface UsageStore {
  recordPush(repository: string, push: PushRecord): Promise<void>;
  recordPull(repository: string, pull: PullRecord): Promise<void>;
  recordDelete(repository: string, deleted: DeleteRecord): Promise<void>;
  /** Everything known of one repository (empty maps when nothing is). */
  repository(repository: string): Promise<RepositoryUsage>;
  /** Every repository with some usage recorded. */
  repositories(): Promise<string[]>;
}

export function emptyUsage(): RepositoryUsageDraft {
  return { manifests: new Map(), tags: new Map() };
}

function later(a: number | undefined, b: number): number {
  return a === undefined || b > a ? b : a;
}

/** The manifest after a push: the first push time stays (a re-push of the same bytes does not make an image newer). */
export function pushedManifest(current: ManifestUsage | undefined, push: PushRecord): ManifestUsage {
  const next: ManifestUsage = current ? { ...current } : { digest: push.digest, pulls: 0 };
  if (next.pushedAt === undefined || next.pushedAtSource !== 'push-event' || push.at < next.pushedAt) {
    next.pushedAt = push.at;
    next.pushedAtSource = 'push-event';
  }
  if (push.mediaType !== undefined) next.mediaType = push.mediaType;
  if (push.size !== undefined) next.size = push.size;
  if (push.references !== undefined) next.references = push.references;
  return next;
}

/**
 * A tag never seen, with every field there from the start: a store holds one per tag and a plan
 * reads them all, and V8 keeps the fields an object is created with in the object itself, where
 * fields added later live in a second array (one more memory read a tag).
 */
function unseenTag(tag: string): TagUsage {
  return { tag, pulls: 0, digest: undefined, pushedAt: undefined, pushedAtSource: undefined, lastPulledAt: undefined };
}

/** The tag after a push of it: it points at the pushed digest from the latest push on. */
export function pushedTag(current: TagUsage | undefined, tag: string, push: PushRecord): TagUsage {
  const next: TagUsage = current ? { ...current } : unseenTag(tag);
  if (next.pushedAt === undefined || push.at >= next.pushedAt) {
    next.pushedAt = push.at;
    next.pushedAtSource = 'push-event';
    next.digest = push.digest;
  }
  return next;
}

/** A manifest after a pull: a manifest first seen through a pull gets that time as its push time, marked as such. */
export function pulledManifest(current: ManifestUsage | undefined, pull: PullRecord): ManifestUsage {
  const next: ManifestUsage = current
    ? { ...current }
    : {
        digest: pull.digest,
        pulls: 0,
        pushedAt: pull.at,
        pushedAtSource: 'first-event',
      };
  next.pulls += 1;
  next.lastPulledAt = later(next.lastPulledAt, pull.at);
  return next;
}

export function pulledTag(current: TagUsage | undefined, tag: string, pull: PullRecord): TagUsage {
  const next: TagUsage = current ? { ...current } : { ...unseenTag(tag), digest: pull.digest, pushedAt: pull.at, pushedAtSource: 'first-event' };
  // a pull by tag names what the tag points at now, even when the tracker missed the push that moved it
  if (next.pushedAt === undefined || pull.at >= next.pushedAt) next.digest = pull.digest;
  next.pulls += 1;
  next.lastPulledAt = later(next.lastPulledAt, pull.at);
  return next;
}
