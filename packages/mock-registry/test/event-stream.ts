import type { CapturedDelivery } from '@regevents/registry-harness';

/** What the differential tests compare of one delivered event. */
export interface StreamEntry {
  /** The order-sensitive identity of the event: action, target.mediaType, repository, tag, fromRepository, request.method. */
  shape: (string | undefined)[];
  /** Every key path present in the event, in document order (so key order is compared too). */
  keys: string[];
  /** Content identity: digest, size, length, references. */
  content: unknown;
  /** The event id, to see redeliveries re-send the same event. */
  id: string;
  headers: { contentType?: string; userAgent?: string; authorization?: string };
}

function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => keyPaths(item, `${prefix}[${i}]`));
  return Object.entries(value).flatMap(([key, inner]) => [`${prefix}${key}`, ...keyPaths(inner, `${prefix}${key}.`)]);
}

function header(delivery: CapturedDelivery, name: string): string | undefined {
  return delivery.rawHeaders.find(([key]) => key.toLowerCase() === name)?.[1];
}

const isTagDelete = (entry: StreamEntry) => entry.shape[0] === 'delete' && entry.shape[3] !== undefined;

/**
 * The registry lists a manifest's tags in directory order (filesystem-dependent), so the tag
 * deletes that follow one manifest delete are compared as a set: sorted by tag.
 */
function sortTagDeleteRuns(entries: StreamEntry[]): StreamEntry[] {
  const out: StreamEntry[] = [];
  for (let i = 0; i < entries.length; ) {
    let end = i;
    while (end < entries.length && isTagDelete(entries[end] as StreamEntry)) end += 1;
    if (end === i) {
      out.push(entries[i] as StreamEntry);
      i += 1;
    } else {
      out.push(...entries.slice(i, end).sort((a, b) => String(a.shape[3]).localeCompare(String(b.shape[3]))));
      i = end;
    }
  }
  return out;
}

/** The comparable view of a captured notification stream (each POST carries one event). */
export function eventStream(deliveries: CapturedDelivery[]): StreamEntry[] {
  return sortTagDeleteRuns(eventEntries(deliveries));
}

function eventEntries(deliveries: CapturedDelivery[]): StreamEntry[] {
  return deliveries.flatMap((delivery) => {
    const envelope = JSON.parse(delivery.body.toString('utf8')) as { events: Record<string, any>[] };
    return envelope.events.map((event) => ({
      shape: [event.action, event.target.mediaType, event.target.repository, event.target.tag, event.target.fromRepository, event.request.method],
      keys: keyPaths(event),
      content: { digest: event.target.digest, size: event.target.size, length: event.target.length, references: event.target.references },
      id: event.id as string,
      headers: { contentType: header(delivery, 'content-type'), userAgent: header(delivery, 'user-agent'), authorization: header(delivery, 'authorization') },
    }));
  });
}

/** Positions at which an event repeats the id of the event before it (redeliveries). */
export function redeliveryPattern(entries: StreamEntry[]): boolean[] {
  return entries.map((entry, i) => i > 0 && entries[i - 1]?.id === entry.id);
}
