/**
 * distribution's route table (registry/api/v2/descriptors.go) with its name, tag and digest
 * grammar (reference/regexp.go). A path that matches no route gets the router's plain 404,
 * before any authentication, so `.INVALID_MANIFEST_NAME`, a 129-character tag or `sha256:abc`
 * never reach a handler.
 *
 * A name component: distribution writes the separator as `[._]|__|[-]*`; the empty alternative
 * only lets alphanumerics continue, so `-+` is the same language without the exponential
 * backtracking JavaScript's regex engine would hit on a non-matching path.
 */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*`;
const TAG_PATTERN = '[\\w][\\w.-]{0,127}';
// go-digest's DigestRegexp (v1.0.0, what Debian's 2.8.2 is built with), which the routes use rather than
// reference.DigestRegexp: `sha256:abc` and `sha256:zz` route, and fail later; `SHA256:abc` is an unknown route.
const DIGEST_PATTERN = '[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+';
const UUID_PATTERN = '[a-zA-Z0-9-_.=]+';
const TAG = new RegExp(`^${TAG_PATTERN}$`);

export type Route =
  | { kind: 'base' }
  | { kind: 'catalog' }
  | { kind: 'tags'; name: string }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'uploads'; name: string }
  | { kind: 'upload'; name: string; id: string }
  | { kind: 'referrers'; name: string; digest: string };

/** The methods each route serves; another gets 405, as gorilla's MethodHandler answers. `null`: any method. */
export const ROUTE_METHODS: Record<Route['kind'], readonly string[] | null> = {
  base: null,
  catalog: ['GET'],
  tags: ['GET'],
  manifest: ['GET', 'HEAD', 'PUT', 'DELETE'],
  blob: ['GET', 'HEAD', 'DELETE'],
  uploads: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'],
  upload: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'],
  referrers: ['GET'],
};

const PATTERNS: [RegExp, (m: RegExpExecArray) => Route][] = [
  [/^\/v2\/$/, () => ({ kind: 'base' })],
  [/^\/v2\/_catalog$/, () => ({ kind: 'catalog' })],
  [new RegExp(`^/v2/(${NAME})/tags/list$`), (m) => ({ kind: 'tags', name: m[1] as string })],
  [new RegExp(`^/v2/(${NAME})/manifests/(${TAG_PATTERN}|${DIGEST_PATTERN})$`), (m) => ({ kind: 'manifest', name: m[1] as string, reference: m[2] as string })],
  [new RegExp(`^/v2/(${NAME})/blobs/(${DIGEST_PATTERN})$`), (m) => ({ kind: 'blob', name: m[1] as string, digest: m[2] as string })],
  [new RegExp(`^/v2/(${NAME})/blobs/uploads/$`), (m) => ({ kind: 'uploads', name: m[1] as string })],
  [new RegExp(`^/v2/(${NAME})/blobs/uploads/(${UUID_PATTERN})$`), (m) => ({ kind: 'upload', name: m[1] as string, id: m[2] as string })],
  [new RegExp(`^/v2/(${NAME})/referrers/(${DIGEST_PATTERN})$`), (m) => ({ kind: 'referrers', name: m[1] as string, digest: m[2] as string })],
];

/** What the router does with a path: hand it to a route, redirect it (301), or answer 404. */
export type Routing = { route: Route } | { redirect: string; strictSlash: boolean } | undefined;

function match(pathname: string, withReferrers: boolean): Route | undefined {
  for (const [pattern, build] of PATTERNS) {
    const found = pattern.exec(pathname);
    if (!found) continue;
    const route = build(found);
    if (route.kind === 'referrers' && !withReferrers) return undefined;
    return route;
  }
  return undefined;
}

/** Go's `path.Clean`, keeping a trailing slash as gorilla/mux's cleanPath does. */
function cleanPath(pathname: string): string {
  const parts: string[] = [];
  for (const part of pathname.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  const cleaned = `/${parts.join('/')}`;
  return pathname.endsWith('/') && cleaned !== '/' ? `${cleaned}/` : cleaned;
}

/**
 * Routes a path as distribution's gorilla/mux router does: an unclean path (`//`, `/./`) is
 * redirected to its clean form, and with StrictSlash a path that matches only with its trailing
 * slash added or removed is redirected to that form. The referrers route exists only where the
 * flavor has the API.
 */
export function routePath(url: URL, withReferrers: boolean): Routing {
  const pathname = url.pathname;
  const cleaned = cleanPath(pathname);
  if (cleaned !== pathname) return { redirect: `${cleaned}${url.search}`, strictSlash: false };
  const route = match(pathname, withReferrers);
  if (route) return { route };
  const toggled = pathname.endsWith('/') ? pathname.slice(0, -1) : `${pathname}/`;
  if (match(toggled, withReferrers)) return { redirect: `${toggled}${url.search}`, strictSlash: true };
  return undefined;
}

export function isTag(reference: string): boolean {
  return TAG.test(reference);
}
