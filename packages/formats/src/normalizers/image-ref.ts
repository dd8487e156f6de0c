import { parseReference, type ImageReference } from '@regevents/registry-client';

/** A reference a vendor wrote, split as written: no Docker Hub defaults, and nothing refused (vendors send upper-case names and shortened digests). */
export function vendorReference(text: string): ImageReference {
  return parseReference(text, { dockerHub: false, validate: false });
}

/** Drops undefined fields so normalized events compare and serialize cleanly. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
