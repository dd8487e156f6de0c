export interface ImageReference {
  host?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits `host/path:tag@digest` the way Docker does: the first component is a host when it has a `.` or `:` or is `localhost`. */
export function parseImageReference(reference: string): ImageReference {
  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let host: string | undefined;
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    host = first;
    rest = rest.slice(slash + 1);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parsed: ImageReference = host === undefined ? { repository: rest } : { host, repository: rest };
  if (tag !== undefined) parsed.tag = tag;
  if (digest !== undefined) parsed.digest = digest;
  return parsed;
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
