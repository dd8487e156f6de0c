import type { ActorRecord, Descriptor, Event, EventAction, RequestRecord, SourceRecord } from '@regevents/types';
import { EVENTS_MEDIA_TYPE_V1, EVENTS_MEDIA_TYPE_V2 } from '@regevents/types';

/** 1: distribution 2.x's event layout; 2: 3.x's (see `FlavorBehaviour.events`). */
export type EventLayout = 1 | 2;

export function eventsMediaType(layout: EventLayout): string {
  return layout === 1 ? EVENTS_MEDIA_TYPE_V1 : EVENTS_MEDIA_TYPE_V2;
}

/** What an action is about, before it is laid out the way a given release writes it. */
export interface TargetFacts {
  mediaType?: string;
  size?: number;
  digest?: string;
  repository: string;
  fromRepository?: string;
  url?: string;
  tag?: string;
  references?: Descriptor[];
}

/**
 * The target in the key order and with the empty fields of the release: 2.x omits empty
 * descriptor fields and writes `mediaType,size,digest`; 3.x always writes `mediaType,digest,size`
 * (so a 3.x tag delete carries `"digest":""`).
 */
export function layoutTarget(layout: EventLayout, facts: TargetFacts): Record<string, unknown> {
  const target: Record<string, unknown> = {};
  if (layout === 1) {
    if (facts.mediaType) target.mediaType = facts.mediaType;
    if (facts.size) target.size = facts.size;
    if (facts.digest) target.digest = facts.digest;
  } else {
    target.mediaType = facts.mediaType ?? '';
    target.digest = facts.digest ?? '';
    target.size = facts.size ?? 0;
  }
  if (facts.size) target.length = facts.size;
  target.repository = facts.repository;
  if (facts.fromRepository) target.fromRepository = facts.fromRepository;
  if (facts.url) target.url = facts.url;
  if (facts.tag) target.tag = facts.tag;
  if (facts.references) target.references = facts.references.map((reference) => layoutReference(layout, reference));
  return target;
}

/** 2.8's descriptor type drops `platform` (tagged `json:"-"`); 3.x keeps the full OCI descriptor. */
function layoutReference(layout: EventLayout, descriptor: Descriptor): Descriptor {
  const { mediaType, size, digest, urls, annotations, platform, artifactType } = descriptor;
  const out: Descriptor =
    layout === 1 ? { mediaType, size, digest } : ({ mediaType, digest, size } as Descriptor);
  if (urls?.length) out.urls = urls;
  if (annotations && Object.keys(annotations).length > 0) out.annotations = annotations;
  if (layout === 2) {
    if (platform) out.platform = platform;
    if (artifactType) out.artifactType = artifactType;
  }
  return out;
}

export interface EventParts {
  id: string;
  timestamp: string;
  action: EventAction;
  target: Record<string, unknown>;
  request: RequestRecord;
  actor: ActorRecord;
  source: SourceRecord;
}

/** An event with the registry's key order; `omitempty` fields of request, actor and source left out when empty. */
export function layoutEvent(parts: EventParts): Event {
  const request: Record<string, string> = { id: parts.request.id };
  if (parts.request.addr) request.addr = parts.request.addr;
  if (parts.request.host) request.host = parts.request.host;
  request.method = parts.request.method;
  request.useragent = parts.request.useragent;
  const actor: ActorRecord = parts.actor.name ? { name: parts.actor.name } : {};
  const source: SourceRecord = {};
  if (parts.source.addr) source.addr = parts.source.addr;
  if (parts.source.instanceID) source.instanceID = parts.source.instanceID;
  return { id: parts.id, timestamp: parts.timestamp, action: parts.action, target: parts.target, request, actor, source } as unknown as Event;
}
