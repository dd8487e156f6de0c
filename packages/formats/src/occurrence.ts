import type { NormalizedRegistryEvent } from './model.js';

/**
 * Events whose payload carries nothing that tells one occurrence from another: Quay's push,
 * Google Artifact Registry's message data without its Pub/Sub message id, Artifactory's flat
 * docker payload. Two separate pushes of one tag send the same body, so an id derived from it
 * would make the second look like a redelivery of the first (and anybody able to post that body
 * could block the tag in advance). Such events get a random id of their own and are recorded
 * here, so receivers know not to deduplicate them.
 */
const unidentified = new WeakSet<NormalizedRegistryEvent>();

/** A fresh id for an event of a format with no occurrence identity; mark the event with `withoutOccurrenceId`. */
export function freshEventId(): string {
  return crypto.randomUUID();
}

export function withoutOccurrenceId<T extends NormalizedRegistryEvent>(event: T): T {
  unidentified.add(event);
  return event;
}

/**
 * False for events whose id was made up at normalization because their format identifies no
 * occurrence (see the README): deduplicating them by content would drop genuine events, so a
 * receiver runs every delivery of them.
 */
export function identifiesOccurrence(event: NormalizedRegistryEvent): boolean {
  return !unidentified.has(event);
}
