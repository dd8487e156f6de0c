import { parseReference, type ImageReference } from '@regevents/registry-client';

/** A reference a vendor wrote, split as written: no Docker Hub defaults, and nothing refused (vendors send upper-case names and shortened digests). */
export function vendorReference(text: string): ImageReference {
  return parseReference(text, { dockerHub: false, validate: false });
}

/** Drops undefined fields so normalized events compare and serialize cleanly. */
export function compact<T extends object>(value: T): T {
  // A loop, not Object.fromEntries(entries.filter(...)): this runs for every normalized event.
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) kept[key] = item;
  }
  return kept as T;
}
