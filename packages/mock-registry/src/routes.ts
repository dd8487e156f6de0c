/**
 * A path component of a repository name. Distribution writes the separator as `[._]|__|[-]*`;
 * the empty alternative only lets alphanumerics continue, so `-+` is the same language without
 * the exponential backtracking JavaScript's regex engine would hit on a non-matching path.
 */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const NAME = `${COMPONENT}(?:/${COMPONENT})*`;
const TAG = /^[\w][\w.-]{0,127}$/;

export type Route =
  | { kind: 'base' }
  | { kind: 'catalog' }
  | { kind: 'tags'; name: string }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'uploads'; name: string }
  | { kind: 'upload'; name: string; id: string }
  | { kind: 'referrers'; name: string; digest: string };

const PATTERNS: [RegExp, (m: RegExpExecArray) => Route][] = [
  [/^\/v2\/?$/, () => ({ kind: 'base' })],
  [/^\/v2\/_catalog$/, () => ({ kind: 'catalog' })],
  [new RegExp(`^/v2/(${NAME})/tags/list$`), (m) => ({ kind: 'tags', name: m[1] as string })],
  [new RegExp(`^/v2/(${NAME})/manifests/([^/]+)$`), (m) => ({ kind: 'manifest', name: m[1] as string, reference: m[2] as string })],
  [new RegExp(`^/v2/(${NAME})/blobs/uploads/?$`), (m) => ({ kind: 'uploads', name: m[1] as string })],
  [new RegExp(`^/v2/(${NAME})/blobs/uploads/([^/]+)$`), (m) => ({ kind: 'upload', name: m[1] as string, id: m[2] as string })],
  [new RegExp(`^/v2/(${NAME})/blobs/([^/]+)$`), (m) => ({ kind: 'blob', name: m[1] as string, digest: m[2] as string })],
  [new RegExp(`^/v2/(${NAME})/referrers/([^/]+)$`), (m) => ({ kind: 'referrers', name: m[1] as string, digest: m[2] as string })],
];

/** The API route a path names, or undefined (the registry's router then answers a plain 404). */
export function matchRoute(pathname: string): Route | undefined {
  for (const [pattern, build] of PATTERNS) {
    const match = pattern.exec(pathname);
    if (match) return build(match);
  }
  return undefined;
}

export function isTag(reference: string): boolean {
  return TAG.test(reference);
}
