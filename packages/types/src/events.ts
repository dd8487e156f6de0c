/**
 * The public event types. They refine the types generated from schemas/ (./generated/openapi.ts):
 * same field names and every value of these types is a valid value of the generated ones, but
 * they say what the schema cannot: which fields go with manifest or blob targets, and how a
 * delete by tag differs from a delete by digest. test/agreement.test-d.ts proves the two agree.
 */

export type EventAction = 'push' | 'pull' | 'delete' | 'mount';

export interface Platform {
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
  features?: string[];
}

/** An OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  size: number;
  digest: string;
  urls?: string[];
  annotations?: Record<string, string>;
  platform?: Platform;
  /** distribution 3.x. */
  artifactType?: string;
  /** Embedded content, base64 (distribution 3.x). */
  data?: string;
}

/** Where the registry says a manifest can be fetched: always by digest, even for a push by tag. */
export type ManifestUrl = `${string}/manifests/${string}`;
/** Where the registry says a blob can be fetched. */
export type BlobUrl = `${string}/blobs/${string}`;

interface Located {
  repository: string;
  /** @deprecated Equal to `size`. */
  length?: number;
}

/** Target of a manifest push or pull. */
export interface ManifestTarget extends Descriptor, Located {
  url: ManifestUrl;
  /** Set only when the manifest was pushed or fetched by tag. */
  tag?: string;
  /** Config then layers, or an index's child manifests; only with `events.includereferences: true`. */
  references?: Descriptor[];
}

/** Target of a blob push or pull; the registry reports `mediaType` as `application/octet-stream`. */
export interface BlobTarget extends Descriptor, Located {
  url: BlobUrl;
  tag?: never;
  references?: never;
}

export type ContentTarget = ManifestTarget | BlobTarget;

/** Target of a cross-repository blob mount. */
export interface MountTarget extends Descriptor, Located {
  url: BlobUrl;
  fromRepository: string;
}

/** A manifest or blob deleted by digest. */
export interface DigestDeleteTarget {
  repository: string;
  digest: string;
  tag?: never;
  mediaType?: string;
  size?: number;
  url?: string;
  /** @deprecated Equal to `size`. */
  length?: number;
}

/** A tag removed: after a manifest delete (one per tag that pointed at it), or a tag DELETE on 3.x. */
export interface TagDeleteTarget {
  repository: string;
  tag: string;
  /** 3.x writes `""`; 2.x omits it. */
  digest?: '';
  /** 3.x writes `""`; 2.x omits it. */
  mediaType?: '';
  /** 3.x writes `0`; 2.x omits it. */
  size?: 0;
  url?: string;
  /** @deprecated */
  length?: 0;
}

export type DeleteTarget = DigestDeleteTarget | TagDeleteTarget;

/** The HTTP request that caused the event. */
export interface RequestRecord {
  id: string;
  /** X-Forwarded-For first, then X-Real-Ip, then the peer address. */
  addr?: string;
  host?: string;
  method: string;
  useragent: string;
}

/** Who caused the event; `{}` when anonymous. */
export interface ActorRecord {
  name?: string;
}

/** The registry instance that sent the event. */
export interface SourceRecord {
  addr?: string;
  instanceID?: string;
}

interface EventOf<A extends EventAction, T> {
  /** UUIDv4 up to 3.0, UUIDv7 from 3.1; a redelivery re-sends the same id. */
  id: string;
  /** RFC 3339, up to nine fractional digits. */
  timestamp: string;
  action: A;
  target: T;
  request: RequestRecord;
  actor: ActorRecord;
  source: SourceRecord;
}

export type ManifestPushEvent = EventOf<'push', ManifestTarget>;
export type BlobPushEvent = EventOf<'push', BlobTarget>;
export type PushEvent = ManifestPushEvent | BlobPushEvent;

export type ManifestPullEvent = EventOf<'pull', ManifestTarget>;
export type BlobPullEvent = EventOf<'pull', BlobTarget>;
export type PullEvent = ManifestPullEvent | BlobPullEvent;

export type DigestDeleteEvent = EventOf<'delete', DigestDeleteTarget>;
export type TagDeleteEvent = EventOf<'delete', TagDeleteTarget>;
export type DeleteEvent = DigestDeleteEvent | TagDeleteEvent;

export type MountEvent = EventOf<'mount', MountTarget>;

export type Event = PushEvent | PullEvent | DeleteEvent | MountEvent;

/** Body of a notification POST. */
export interface Envelope {
  events: Event[];
}

/** The event type for one action: `EventOf<'mount'>` is `MountEvent`. */
export type EventForAction<A extends EventAction> = Extract<Event, { action: A }>;
