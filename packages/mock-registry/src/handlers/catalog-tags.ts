import { RegistryError } from '../errors.js';
import { json, type HandlerDependencies, type RequestContext } from './context.js';

/** distribution's `defaultReturnedEntries` and `catalog.maxentries` default. */
const CATALOG_DEFAULT_ENTRIES = 100;
const CATALOG_MAX_ENTRIES = 1000;

/** Go's `strconv.Atoi`: an optional sign and decimal digits, else undefined. */
function atoi(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/** The storage walk's order: paths compared with `/` sorting before every other character. */
function comparePaths(a: string, b: string): number {
  const key = (path: string) => path.replaceAll('/', '\u0000');
  const [x, y] = [key(a), key(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Go's `url.Values{n, last}.Encode()` behind the request path: keys sorted, values query-escaped. */
function nextLink(path: string, n: number, last: string): string {
  const escape = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
  return `<${path}?last=${escape(last)}&n=${n}>; rel="next"`;
}

/**
 * `/v2/_catalog` as distribution answers it: every repository with linked blobs (a repository
 * directory with `_layers`, so mount targets too), that the caller may pull, in walk order; `n`
 * (default 100, at most 1000) and `last` page it.
 */
export function catalog(deps: HandlerDependencies, { url, identity }: RequestContext): Response {
  const nText = url.searchParams.get('n');
  let entries = CATALOG_DEFAULT_ENTRIES;
  const parsed = nText ? atoi(nText) : undefined;
  if (nText && deps.behaviour.catalog.rejectBadN && (parsed === undefined || parsed < 0)) throw new RegistryError('PAGINATION_NUMBER_INVALID', { detail: { n: nText } });
  if (parsed !== undefined) {
    if (parsed > CATALOG_MAX_ENTRIES) throw new RegistryError('PAGINATION_NUMBER_INVALID', { detail: { n: parsed } });
    if (parsed >= 0) entries = parsed;
  }
  const last = url.searchParams.get('last') ?? '';
  const names = [...deps.state.repositories.keys()].sort(comparePaths);
  const page =
    entries === 0
      ? []
      : names
          .filter((name) => deps.state.get(name)?.hasLayers && comparePaths(last, name) < 0 && deps.gate.mayPull(identity, name))
          .slice(0, entries);
  const lastListed = page.at(-1);
  // The walk notices its page is full only at the next repository directory it enters, so the
  // last page links onwards only when some repository sorts after it (one without blobs counts).
  const more = entries > 0 && page.length === entries && names.some((name) => comparePaths(lastListed as string, name) < 0);
  return json({ repositories: page }, deps.behaviour.json, more ? { Link: nextLink('/v2/_catalog', entries, lastListed as string) } : {});
}

/** The tags of a repository that has a tag directory, in walk order. */
function tagsOf(deps: HandlerDependencies, name: string): string[] {
  const repository = deps.state.get(name);
  if (!repository?.hasTagDirectory) throw new RegistryError('NAME_UNKNOWN', { detail: { name } });
  return [...repository.tags.keys()].sort(comparePaths);
}

/**
 * `/v2/<name>/tags/list`. 2.8 lists every tag and ignores `n` and `last`; 3.x and OCI registries
 * page with them (a bad `n` is 400) and link a full page. A repository whose tags were all
 * deleted answers `"tags": null`; one that never had a tag is NAME_UNKNOWN.
 */
export function tags(deps: HandlerDependencies, { url }: RequestContext, name: string): Response {
  const { paginated } = deps.behaviour.tags;
  const contentType = deps.behaviour.json;
  if (!paginated) {
    const all = tagsOf(deps, name);
    return json({ name, tags: all.length > 0 ? all : null }, contentType);
  }
  const nText = url.searchParams.get('n');
  let limit = -1;
  if (nText) {
    const parsed = atoi(nText);
    if (parsed === undefined || parsed < 0) throw new RegistryError('PAGINATION_NUMBER_INVALID', { detail: { n: parsed ?? 0 } });
    limit = parsed;
  }
  if (limit === 0) return json({ name, tags: [] }, contentType);
  const last = url.searchParams.get('last') ?? '';
  const after = tagsOf(deps, name).filter((tag) => tag > last);
  const page = limit > 0 ? after.slice(0, limit) : after;
  const full = limit > 0 && page.length === limit;
  return json({ name, tags: page.length > 0 ? page : null }, contentType, full ? { Link: nextLink(`/v2/${name}/tags/list`, limit, page.at(-1) as string) } : {});
}
