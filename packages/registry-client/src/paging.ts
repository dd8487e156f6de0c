import { parseJson, readText } from './body.js';
import type { ClientContext } from './context.js';
import { LimitError, RegistryError } from './errors.js';

export interface ListOptions {
  /** Ask for pages of this many entries (`n`). Not sent by default: 2.8.2's catalog refuses an `n` above its `maxentries`. */
  pageSize?: number;
  signal?: AbortSignal;
}

/** The `rel="next"` target of a `Link` header, if any. */
export function nextLink(header: string | null): string | undefined {
  for (const part of (header ?? '').split(',')) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (match && /\brel="?next"?/i.test(match[2] as string)) return match[1];
  }
  return undefined;
}

/**
 * Every name of a paginated listing (`tags`, `repositories`), following `Link`. Copes with
 * registries that ignore `n`/`last` (the whole list comes at once) and with 2.8.2's 400 for an
 * `n` above its limit (asked again without `n`). A `Link` back to a page already read, a page
 * with nothing new, or more than `limits.pages` pages is a `LimitError`, never an endless loop.
 */
export async function* listNames(context: ClientContext, path: string, key: 'tags' | 'repositories', options: ListOptions): AsyncGenerator<string> {
  const first = context.transport.resolve(path);
  if (options.pageSize !== undefined) first.searchParams.set('n', String(options.pageSize));
  let url: URL | undefined = first;
  const visited = new Set<string>();
  const seen = new Set<string>();
  while (url) {
    if (visited.size >= context.limits.pages) throw new LimitError('pages', `${path}: more than ${context.limits.pages} pages`);
    visited.add(url.toString());
    let response: Response;
    try {
      response = await context.transport.send({ method: 'GET', url, ok: [200], signal: options.signal });
    } catch (error) {
      if (error instanceof RegistryError && error.code === 'PAGINATION_NUMBER_INVALID' && url.searchParams.has('n')) {
        url.searchParams.delete('n');
        continue;
      }
      throw error;
    }
    const text = await readText(response, context.limits.pageBytes, `${path} page`);
    const body = parseJson(text) as Record<string, unknown> | undefined;
    const names = body?.[key];
    if (names !== null && !Array.isArray(names)) throw new RegistryError({ status: 200, method: 'GET', path: `${url.pathname}${url.search}`, errors: [], text: `no "${key}" list in the answer` });
    let fresh = 0;
    for (const name of names ?? []) {
      if (typeof name !== 'string' || seen.has(name)) continue;
      seen.add(name);
      fresh++;
      yield name;
    }
    const next = nextLink(response.headers.get('link'));
    if (next === undefined) return;
    const nextUrl: URL = new URL(next, url);
    if (visited.has(nextUrl.toString())) throw new LimitError('link-loop', `${path}: the Link header points back to a page already read`);
    if (fresh === 0) throw new LimitError('link-loop', `${path}: a page with nothing new still links to another one`);
    url = nextUrl;
  }
}
