import { validateEnvelope } from '@regevents/schemas';
import { bodyText, DEFAULT_MAX_BYTES, parseBodyText } from './body.js';
import { derivedIdNow, derivedIdsNow, idHashing, portableHashing, portableSha256, type IdHashing, type Sha256 } from './derived-id.js';
import { detectFormat } from './detect.js';
import { InvalidPayloadError, UnrecognizedFormatError } from './errors.js';
import { headerValue, type HeadersLike } from './headers.js';
import type { FormatId, NormalizedRegistryEvent } from './model.js';
import { normalizeAcr, normalizeArtifactory, normalizeDockerHub, normalizeEcr, normalizeGar, normalizeGhcr, normalizeQuay } from './normalizers/cloud-vendors.js';
import { normalizeDistributionEvent, normalizeGitlabEvent } from './normalizers/distribution.js';
import { harborEventCount, normalizeHarborPayload } from './normalizers/harbor.js';
import { assertVendor } from './validate.js';
import type { Envelope, GarData, HarborCloudEvent, HarborEventType, HarborPayload } from '@regevents/types';

export interface NormalizeOptions {
  /** Accept only these formats; anything else throws `UnrecognizedFormatError`. Default: all. */
  formats?: readonly FormatId[];
  /** Largest body accepted, in bytes. Default 1 MiB. */
  maxBytes?: number;
  /** The time given to events whose format carries none (Quay, Artifactory). Default: now. */
  now?: Date;
  /** Hashes derived ids; same ids whichever. Default: portable JS (`@regevents/formats/node`'s `normalize` passes node:crypto's). */
  sha256?: Sha256;
}

const HARBOR_CLOUDEVENT_TYPES: Record<string, HarborEventType> = {
  'harbor.artifact.pushed': 'PUSH_ARTIFACT',
  'harbor.artifact.pulled': 'PULL_ARTIFACT',
  'harbor.artifact.deleted': 'DELETE_ARTIFACT',
  'harbor.scan.completed': 'SCANNING_COMPLETED',
  'harbor.scan.failed': 'SCANNING_FAILED',
  'harbor.scan.stopped': 'SCANNING_STOPPED',
  'harbor.quota.exceeded': 'QUOTA_EXCEED',
  'harbor.quota.warned': 'QUOTA_WARNING',
  'harbor.replication.status.changed': 'REPLICATION',
  'harbor.tag_retention.finished': 'TAG_RETENTION',
};

/** Harbor's CloudEvent carries the Default payload's fields: its `data` is `event_data`, `time` is `occur_at`. */
export function harborPayloadFromCloudEvent(event: HarborCloudEvent): HarborPayload {
  return {
    type: HARBOR_CLOUDEVENT_TYPES[event.type] as HarborEventType,
    occur_at: Math.floor(Date.parse(event.time) / 1000),
    operator: event.operator ?? '',
    event_data: event.data,
  } as HarborPayload;
}

function harborIds(payload: HarborPayload, eventId: string | undefined, hashing: IdHashing): string[] {
  const count = harborEventCount(payload);
  if (!eventId) return derivedIdsNow('harbor', payload, count, hashing);
  return count === 1 ? [eventId] : Array.from({ length: count }, (_, index) => `${eventId}#${index}`);
}

export function normalizeHarborCloudEvent(event: HarborCloudEvent, hashing: IdHashing = portableHashing): NormalizedRegistryEvent[] {
  const payload = harborPayloadFromCloudEvent(event);
  return normalizeHarborPayload(payload, harborIds(payload, event.id, hashing), event);
}

/** What a push envelope's `message.data` decodes to must be the message itself, not another envelope. */
function garMessageData(value: unknown): GarData {
  const data = assertVendor('gar', value);
  if ('message' in data) throw new InvalidPayloadError('gar', [{ path: 'message.data', message: 'must be Artifact Registry message data, not another push envelope' }]);
  return data;
}

function validDistribution(value: unknown): Envelope {
  const result = validateEnvelope(value);
  if (!result.ok) throw new InvalidPayloadError('distribution', result.issues);
  return result.value;
}

function normalizeValue(format: FormatId, value: unknown, headers: HeadersLike | undefined, now: Date, hashing: IdHashing): NormalizedRegistryEvent[] {
  const derive = (discriminator: string) => derivedIdNow(format, value, discriminator, hashing);
  switch (format) {
    case 'distribution':
      return validDistribution(value).events.map((event) => normalizeDistributionEvent(event));
    case 'gitlab': {
      const envelope = assertVendor('gitlab', value);
      return envelope.events.map((event, index) => normalizeGitlabEvent(event, derivedIdNow('gitlab', event, String(index), hashing)));
    }
    case 'harbor': {
      const payload = assertVendor('harbor', value);
      return normalizeHarborPayload(payload, harborIds(payload, undefined, hashing));
    }
    case 'harbor-cloudevents':
      return normalizeHarborCloudEvent(assertVendor('harbor-cloudevents', value), hashing);
    case 'acr':
      return normalizeAcr(assertVendor('acr', value));
    case 'dockerhub':
      return normalizeDockerHub(assertVendor('dockerhub', value), derive);
    case 'quay':
      return normalizeQuay(assertVendor('quay', value), now);
    case 'ghcr':
      return normalizeGhcr(assertVendor('ghcr', value), derive);
    case 'gar':
      return normalizeGar(assertVendor('gar', value), now, garMessageData, {
        messageId: headerValue(headers, 'x-goog-pubsub-message-id'),
        publishTime: headerValue(headers, 'x-goog-pubsub-publish-time'),
      });
    case 'ecr':
      return normalizeEcr(assertVendor('ecr', value));
    case 'artifactory':
      return normalizeArtifactory(assertVendor('artifactory', value), now);
  }
}

/**
 * GitLab's registry sends a plain distribution envelope when no event in it needs GitLab's
 * extensions; a caller that accepts GitLab but not distribution knows the sender, so reads it as GitLab.
 */
function readAs(detected: FormatId | undefined, accepted: readonly FormatId[] | undefined): FormatId | undefined {
  return detected === 'distribution' && accepted?.includes('gitlab') && !accepted.includes('distribution') ? 'gitlab' : detected;
}

/**
 * Turns a webhook body from any supported registry into normalized events. It returns a promise
 * (derived ids were WebCrypto digests; the promise stays part of the API). Throws `UnrecognizedFormatError`
 * when the body is not JSON or matches no (allowed) format, and `InvalidPayloadError` when it
 * is recognised but does not validate; it never guesses and throws nothing else.
 */
export async function normalize(body: unknown, headers?: HeadersLike, options: NormalizeOptions = {}): Promise<NormalizedRegistryEvent[]> {
  const text = typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer ? bodyText(body, options.maxBytes ?? DEFAULT_MAX_BYTES) : undefined;
  const value = text === undefined ? body : parseBodyText(text);
  const format = readAs(detectFormat(value, headers), options.formats);
  if (!format) throw new UnrecognizedFormatError('body matches no known registry format', [{ path: '(body)', message: 'matches no known registry format' }]);
  if (options.formats && !options.formats.includes(format)) {
    throw new UnrecognizedFormatError(`body is ${format}, which is not among the accepted formats (${options.formats.join(', ')})`, [{ path: '(body)', message: `is ${format}, not an accepted format` }]);
  }
  const events = normalizeValue(format, value, headers, options.now ?? new Date(), idHashing(options.sha256 ?? portableSha256, text));
  // Vendor schemas take times as plain strings or numbers; an unreadable one must not become an Invalid Date.
  const undated = events.findIndex((event) => Number.isNaN(event.occurredAt.getTime()));
  if (undated >= 0) throw new InvalidPayloadError(format, [{ path: '(time)', message: `event ${undated}'s time is not a readable date or timestamp` }]);
  return events;
}
