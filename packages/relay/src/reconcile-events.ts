import type { Descriptor, Event } from '@regevents/types';
import type { LogRecord } from './record.js';

/** Who made a synthetic event: reconciliation's reads, with the client that made them. */
export interface SyntheticSource {
  /** The registry's origin (`http://127.0.0.1:5000`). */
  baseUrl: string;
  userAgent: string;
}

function request(source: SyntheticSource, method: string): Event['request'] {
  return { id: crypto.randomUUID(), host: new URL(source.baseUrl).host, method, useragent: source.userAgent };
}

function record(event: Event, repository: string): LogRecord {
  return { key: `distribution:${event.id}`, format: 'distribution', repository, receivedAt: new Date().toISOString(), event, origin: 'reconcile' };
}

/**
 * A distribution manifest push by tag, as the registry would have sent it, from the manifest's
 * HEAD: `push:manifest` and `artifact.pushed` handlers take it like a real one.
 */
export function syntheticPush(source: SyntheticSource, repository: string, tag: string, manifest: Descriptor): LogRecord {
  const event = {
    id: crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    action: 'push',
    target: {
      mediaType: manifest.mediaType,
      size: manifest.size,
      digest: manifest.digest,
      length: manifest.size,
      repository,
      url: `${source.baseUrl}/v2/${repository}/manifests/${manifest.digest}`,
      tag,
    },
    request: request(source, 'HEAD'),
    actor: {},
    source: {},
  } as Event;
  return record(event, repository);
}

/** A distribution tag delete (`delete:tag`, `tag.deleted`), for a tag the registry no longer lists; `digest`, the state's last, is kept as the record's `deletedDigest`. */
export function syntheticTagDelete(source: SyntheticSource, repository: string, tag: string, digest: string): LogRecord {
  const event = { id: crypto.randomUUID(), timestamp: new Date().toISOString(), action: 'delete', target: { repository, tag }, request: request(source, 'GET'), actor: {}, source: {} } as Event;
  return { ...record(event, repository), deletedDigest: digest };
}
