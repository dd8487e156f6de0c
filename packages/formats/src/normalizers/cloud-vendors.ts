/**
 * The hosted registries: ACR, Docker Hub, Quay, GHCR, Google Artifact Registry, ECR and
 * Artifactory. Each gives zero or more normalized events; `derive(discriminator)` yields the
 * stable id for vendors whose payload carries none.
 */
import type { NormalizedRegistryEvent } from '../model.js';
import type { AcrEvent, ArtifactoryDockerData, ArtifactoryPayload, DockerHubPayload, EcrImageAction, GarData, GarPayload, GhcrPayload, QuayRepoPush } from '@regevents/types';
import { InvalidPayloadError } from '../errors.js';
import { isRecord } from '../body.js';
import { compact, vendorReference } from './image-ref.js';
import { freshEventId, withoutOccurrenceId } from '../occurrence.js';
import { decodeBase64 } from '../secrets.js';

export type Derive = (discriminator: string) => string;

/** ACR `quarantine` has no normalized kind and gives no event. */
export function normalizeAcr(event: AcrEvent): NormalizedRegistryEvent[] {
  const kind = event.action === 'push' || event.action === 'chart_push' ? 'artifact.pushed' : event.action === 'delete' || event.action === 'chart_delete' ? 'artifact.deleted' : undefined;
  if (!kind) return [];
  return [
    compact({
      kind,
      registry: compact({ kind: 'acr' as const, host: event.request?.host }),
      repository: event.target.repository,
      digest: event.target.digest,
      tag: event.target.tag,
      mediaType: event.target.mediaType,
      size: event.target.size,
      occurredAt: new Date(event.timestamp),
      id: event.id,
      raw: event,
    }),
  ];
}

export function normalizeDockerHub(payload: DockerHubPayload, derive: Derive): NormalizedRegistryEvent[] {
  return [
    compact({
      kind: 'artifact.pushed' as const,
      registry: { kind: 'dockerhub' as const, host: 'docker.io' },
      repository: payload.repository.repo_name,
      tag: payload.push_data.tag,
      actor: payload.push_data.pusher || undefined,
      occurredAt: new Date(payload.push_data.pushed_at * 1000),
      id: derive(''),
      raw: payload,
    }),
  ];
}

/** One event per updated tag. Quay sends no time (`occurredAt` is `now`) and nothing else that tells one push from the next: each event gets a fresh id. */
export function normalizeQuay(payload: QuayRepoPush, now: Date): NormalizedRegistryEvent[] {
  const { registry: host } = vendorReference(payload.docker_url);
  return payload.updated_tags.map((tag) =>
    withoutOccurrenceId(
      compact({
        kind: 'artifact.pushed' as const,
        registry: compact({ kind: 'quay' as const, host }),
        repository: payload.repository,
        tag,
        occurredAt: now,
        id: freshEventId(),
        raw: payload,
      }),
    ),
  );
}

const CONTAINER_TYPES = new Set(['container', 'docker']);

/**
 * Only container packages (ecosystem or package_type `container`/`docker`) give an event; others
 * are not registry events. The id is derived from the body, which the signature covers (the
 * package version and its times tell one occurrence from the next), not from `X-GitHub-Delivery`,
 * which anybody replaying a signed body can change.
 */
export function normalizeGhcr(payload: GhcrPayload, derive: Derive): NormalizedRegistryEvent[] {
  const pkg = payload.package ?? payload.registry_package;
  if (!pkg) return [];
  const types = [pkg.ecosystem, pkg.package_type].map((type) => type?.toLowerCase() ?? '');
  if (!types.some((type) => CONTAINER_TYPES.has(type))) return [];
  const version = pkg.package_version;
  const reference = version?.package_url || version?.source_url;
  const parsed = reference ? vendorReference(reference) : { repository: pkg.namespace ?? pkg.name, registry: 'ghcr.io', tag: undefined };
  const digest = version?.name?.startsWith('sha256:') ? version.name : version?.container_metadata?.tag?.digest;
  const tag = version?.container_metadata?.tag?.name || parsed.tag;
  return [
    compact({
      kind: 'artifact.pushed' as const,
      registry: compact({ kind: 'ghcr' as const, host: parsed.registry }),
      repository: parsed.repository,
      digest,
      tag,
      actor: payload.sender?.login,
      occurredAt: new Date(version?.updated_at ?? version?.created_at ?? pkg.updated_at ?? pkg.created_at ?? 0),
      id: derive(''),
      raw: payload,
    }),
  ];
}

function decodeBase64Json(data: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(decodeBase64(data)));
  } catch {
    throw new InvalidPayloadError('gar', [{ path: 'message.data', message: 'must be base64 of JSON' }]);
  }
}

/** What an unwrapped push subscription with `--push-no-wrapper-write-metadata` sends as `x-goog-pubsub-*` headers. */
export interface PubSubMetadata {
  messageId?: string;
  publishTime?: string;
}

/**
 * Raw Pub/Sub data (pull subscribers, unwrapped push) or the push envelope whose `message.data` is
 * base64 JSON. The message id and publish time, from the envelope or the unwrapped push headers,
 * are used when present; without a message id nothing tells one push of a tag from the next, so
 * the event gets a fresh id. A DELETE naming only a tag removed that tag, not the image.
 */
export function normalizeGar(payload: GarPayload, now: Date, validateData: (value: unknown) => GarData, metadata: PubSubMetadata = {}): NormalizedRegistryEvent[] {
  const envelope = 'message' in payload ? payload : undefined;
  const data = envelope ? validateData(decodeBase64Json(envelope.message.data)) : (payload as GarData);
  const byDigest = data.digest ? vendorReference(data.digest) : undefined;
  const byTag = data.tag ? vendorReference(data.tag) : undefined;
  const reference = byDigest ?? byTag;
  if (!reference) return [];
  // An empty id or time says nothing: the id is then fresh and the time is `now`, as when absent.
  const published = (envelope ? envelope.message.publishTime || envelope.message.publish_time : metadata.publishTime) || undefined;
  const messageId = (envelope ? envelope.message.messageId || envelope.message.message_id : metadata.messageId) || undefined;
  const event = compact({
      kind: data.action === 'INSERT' ? ('artifact.pushed' as const) : byDigest ? ('artifact.deleted' as const) : ('tag.deleted' as const),
      registry: compact({ kind: 'gar' as const, host: reference.registry }),
      repository: reference.repository,
      digest: byDigest?.digest,
      tag: byTag?.tag,
    occurredAt: published ? new Date(published) : now,
    id: messageId ?? freshEventId(),
    raw: envelope ? data : payload,
  });
  return [messageId ? event : withoutOccurrenceId(event)];
}

/** A failed push or delete (`result: FAILURE`) changed nothing and gives no event. */
export function normalizeEcr(event: EcrImageAction): NormalizedRegistryEvent[] {
  if (event.detail.result !== 'SUCCESS') return [];
  return [
    compact({
      kind: event.detail['action-type'] === 'PUSH' ? ('artifact.pushed' as const) : ('artifact.deleted' as const),
      registry: compact({ kind: 'ecr' as const, host: event.account && event.region ? `${event.account}.dkr.ecr.${event.region}.amazonaws.com` : undefined }),
      repository: event.detail['repository-name'],
      digest: event.detail['image-digest'],
      tag: event.detail['image-tag'] || undefined,
      mediaType: event.detail['manifest-media-type'],
      occurredAt: new Date(event.time),
      id: event.id,
      raw: event,
    }),
  ];
}

const ARTIFACTORY_KINDS = { pushed: 'artifact.pushed', deleted: 'tag.deleted', promoted: 'artifact.pushed' } as const;

/**
 * Artifactory's docker domain: `pushed` and `promoted` (a tag copied into another repository) push
 * an artifact, `deleted` removes a tag. No time is sent: `occurredAt` is `now`. The flat payload
 * carries no id either, and nothing that tells one push of a tag from the next: it gets a fresh id.
 */
export function normalizeArtifactory(payload: ArtifactoryPayload, now: Date): NormalizedRegistryEvent[] {
  let data: ArtifactoryDockerData;
  let id: string | undefined;
  if ('domain' in payload) {
    id = payload.id || undefined;
    const inner: unknown = typeof payload.data === 'string' ? safeJson(payload.data) : payload.data;
    if (!isRecord(inner) || typeof inner['image_name'] !== 'string' || typeof inner['repo_key'] !== 'string') throw new InvalidPayloadError('artifactory', [{ path: 'data', message: 'must hold repo_key and image_name' }]);
    data = inner as unknown as ArtifactoryDockerData;
  } else data = payload;
  const event = compact({
    kind: ARTIFACTORY_KINDS[payload.event_type],
    registry: { kind: 'artifactory' as const },
    repository: data.image_name,
    digest: data.sha256 ? `sha256:${data.sha256}` : undefined,
    tag: data.tag,
    size: data.size,
    occurredAt: now,
    id: id ?? freshEventId(),
    raw: payload,
  });
  return [id ? event : withoutOccurrenceId(event)];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
