import type { Event } from '@regevents/types';
import type { NormalizedKind, NormalizedRegistryEvent, RegistryKind } from '../model.js';
import type { GitlabEvent, GitlabRenameEvent } from '@regevents/types';
import { compact } from './image-ref.js';

const BLOB_MEDIA_TYPE = 'application/octet-stream';

interface TargetLike {
  mediaType?: string;
  url?: string;
  tag?: string;
}

/** Blob events report `application/octet-stream` and a `/blobs/` url; digest deletes carry neither, and are read as manifests unless they do. */
function isBlob(target: TargetLike): boolean {
  return target.mediaType === BLOB_MEDIA_TYPE || (target.url?.includes('/blobs/') ?? false);
}

/** The kind `normalizeDistributionEvent` gives an event, without building the rest of its normalized view. */
export function distributionKindOf(event: Event): NormalizedKind {
  const target = event.target as TargetLike;
  switch (event.action) {
    case 'push':
      return isBlob(target) ? 'blob.pushed' : 'artifact.pushed';
    case 'pull':
      return isBlob(target) ? 'blob.pulled' : 'artifact.pulled';
    case 'mount':
      return 'blob.mounted';
    case 'delete':
      if (target.tag) return 'tag.deleted';
      return isBlob(target) ? 'blob.deleted' : 'artifact.deleted';
  }
}

function hostOf(event: { request?: { host?: string }; source?: { addr?: string } }): string | undefined {
  return event.request?.host || event.source?.addr || undefined;
}

/**
 * A CNCF distribution event (or a GitLab one with the same actions) as a normalized event. Built
 * field by field, not through `compact`: a receiver normalizes every event it dispatches to a
 * normalized kind, and the intermediate objects were a measurable share of its time per request.
 * The fields come in `NormalizedRegistryEvent`'s order, and none is set to `undefined`.
 */
export function normalizeDistributionEvent(event: Event, registry: RegistryKind = 'distribution'): NormalizedRegistryEvent {
  const target = event.target as TargetLike & { repository: string; digest?: string; size?: number };
  const host = hostOf(event);
  // typed by field, so a misspelt name does not compile; filled in the model's field order
  const normalized: Partial<NormalizedRegistryEvent> = {};
  normalized.kind = distributionKindOf(event);
  normalized.registry = host === undefined ? { kind: registry } : { kind: registry, host };
  normalized.repository = target.repository;
  if (target.digest) normalized.digest = target.digest;
  if (target.tag) normalized.tag = target.tag;
  if (target.mediaType) normalized.mediaType = target.mediaType;
  if (target.digest && target.size !== undefined) normalized.size = target.size;
  if (event.actor.name) normalized.actor = event.actor.name;
  normalized.occurredAt = new Date(event.timestamp);
  if (event.id !== undefined) normalized.id = event.id;
  normalized.raw = event;
  return normalized as NormalizedRegistryEvent;
}

function isRename(event: GitlabEvent): event is GitlabRenameEvent {
  return event.action === 'rename';
}

/** A GitLab registry event; `repository.renamed` keeps the repository the event names (the old path; the new one is `raw.target.rename.to`). */
export function normalizeGitlabEvent(event: GitlabEvent, derived: string): NormalizedRegistryEvent {
  if (!isRename(event)) return normalizeDistributionEvent(event, 'gitlab');
  return compact({
    kind: 'repository.renamed' as const,
    registry: compact({ kind: 'gitlab' as const, host: hostOf(event) }),
    repository: event.target.repository,
    actor: event.actor?.name || undefined,
    occurredAt: new Date(event.timestamp ?? 0),
    id: event.id || derived,
    raw: event,
  });
}
