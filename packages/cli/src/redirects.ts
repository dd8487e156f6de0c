/** Go's http.Client, which the registry's notification sender uses, stops after 10 redirects. */
export const MAX_REDIRECTS = 10;

/** Headers Go's client keeps only when a redirect stays on the same host or goes to a subdomain of it. */
const SENSITIVE_HEADERS = ['authorization', 'www-authenticate', 'cookie', 'cookie2'];

export interface Delivered {
  response: Response;
  /** The redirects followed to get `response`. */
  redirects: number;
}

export class TooManyRedirectsError extends Error {
  override readonly name = 'TooManyRedirectsError';
}

function sameHostOrSubdomain(from: URL, to: URL): boolean {
  return to.hostname === from.hostname || to.hostname.endsWith(`.${from.hostname}`);
}

/**
 * POSTs `body` and follows redirects the way Go's http.Client does: 307 and 308 repeat the
 * request with the same body, 301, 302 and 303 turn it into a GET without one, and credentials
 * only follow to the same host or its subdomains. fetch's own redirect handling can not resend a
 * byte body, so each hop here is a request of its own with a fresh copy of the body.
 */
export async function postFollowingRedirects(url: URL, headers: Headers, body: Uint8Array, signal: AbortSignal): Promise<Delivered> {
  let method = 'POST';
  let current = url;
  const hopHeaders = new Headers(headers);
  for (let redirects = 0; ; redirects++) {
    const response = await fetch(current, { method, headers: hopHeaders, body: method === 'POST' ? body.slice() : undefined, redirect: 'manual', signal });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null || response.status === 304) return { response, redirects };
    await response.arrayBuffer();
    if (redirects === MAX_REDIRECTS) throw new TooManyRedirectsError(`stopped after ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, current);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new TypeError(`redirected to a ${next.protocol} URL`);
    if (response.status !== 307 && response.status !== 308) {
      method = 'GET';
      hopHeaders.delete('content-type');
    }
    if (!sameHostOrSubdomain(url, next)) for (const name of SENSITIVE_HEADERS) hopHeaders.delete(name);
    current = next;
  }
}
