import {
  BLOB_MEDIA_TYPE,
  MANIFEST_MEDIA_TYPES,
  isManifestTarget,
  isTagDeleteTarget,
  type BlobPullEvent,
  type BlobPushEvent,
  type DeleteEvent,
  type DigestDeleteEvent,
  type Event,
  type EventAction,
  type ManifestPullEvent,
  type ManifestPushEvent,
  type MountEvent,
  type PullEvent,
  type PushEvent,
  type TagDeleteEvent,
} from '@regevents/types';

/** The event each dispatch key receives. */
export interface EventsByKey {
  push: PushEvent;
  'push:manifest': ManifestPushEvent;
  'push:blob': BlobPushEvent;
  pull: PullEvent;
  'pull:manifest': ManifestPullEvent;
  'pull:blob': BlobPullEvent;
  delete: DeleteEvent;
  /** A delete by digest, unless the target says it was a blob (see `digestDeleteKind`). */
  'delete:manifest': DigestDeleteEvent;
  /** A delete by digest whose target says it was a blob. */
  'delete:blob': DigestDeleteEvent;
  /** A tag removed (after a manifest delete, one per tag; or a tag DELETE on distribution 3.x). */
  'delete:tag': TagDeleteEvent;
  mount: MountEvent;
}

export type EventKey = keyof EventsByKey;

export const EVENT_KEYS: readonly EventKey[] = [
  'push',
  'push:manifest',
  'push:blob',
  'pull',
  'pull:manifest',
  'pull:blob',
  'delete',
  'delete:manifest',
  'delete:blob',
  'delete:tag',
  'mount',
];

const KNOWN_ACTIONS: readonly EventAction[] = ['push', 'pull', 'delete', 'mount'];

/** An event whose action this SDK does not know (GitLab's `rename`, a future action): passed through as parsed. */
export interface UnknownEvent {
  action: string;
  id?: unknown;
  [field: string]: unknown;
}

export function isKnownAction(action: unknown): action is EventAction {
  return KNOWN_ACTIONS.includes(action as EventAction);
}

/** Narrows what `onAny` receives. */
export function isKnownEvent(event: Event | UnknownEvent): event is Event {
  return isKnownAction(event.action);
}

const BLOB_URL = /\/blobs\/[^/]+$/;

/**
 * distribution (2.x and 3.x) sends the same target, `{digest, repository}`, for
 * `DELETE /v2/<name>/manifests/<digest>` and `DELETE /v2/<name>/blobs/<digest>`. Only extra fields
 * can tell them apart, so: a `url` naming `/blobs/`, or a media type that is not a manifest's,
 * means a blob; anything else is reported as a manifest, because clients delete manifests and
 * blobs normally go through garbage collection, which sends no events.
 */
export function digestDeleteKind(event: DigestDeleteEvent): 'manifest' | 'blob' {
  const { url, mediaType } = event.target;
  if (typeof url === 'string' && BLOB_URL.test(url)) return 'blob';
  if (mediaType === BLOB_MEDIA_TYPE || (typeof mediaType === 'string' && mediaType !== '' && !MANIFEST_MEDIA_TYPES.includes(mediaType))) return 'blob';
  return 'manifest';
}

/** The fine key of a validated event: `push:manifest`, `delete:tag`, `mount`... */
export function eventKey(event: Event): EventKey {
  switch (event.action) {
    case 'push':
    case 'pull':
      return `${event.action}:${isManifestTarget(event.target) ? 'manifest' : 'blob'}`;
    case 'delete':
      return isTagDeleteTarget(event.target) ? 'delete:tag' : `delete:${digestDeleteKind(event as DigestDeleteEvent)}`;
    case 'mount':
      return 'mount';
  }
}
