import { forwardedClient, IpRanges, isTrustedProxy, type IpAddress } from '@regevents/config';

function first(header: string | null): string | undefined {
  const value = header?.split(',')[0]?.trim();
  return value ? value : undefined;
}

/**
 * What the forwarding headers of a request may change. They are believed only from a peer that is
 * a configured trusted proxy (any client can send them): for the client address `allowedClients`
 * checks, and for the scheme and host of `Location` headers and event URLs.
 */
export class Forwarding {
  readonly #proxies: IpRanges;

  constructor(trustedProxies: readonly string[]) {
    this.#proxies = new IpRanges(trustedProxies, 'trustedProxies');
  }

  /** The client: the peer, or what trusted proxies forwarded (`X-Forwarded-For`, else `X-Real-Ip`); undefined when unreadable. */
  client(request: Request, peer: string): IpAddress | undefined {
    const forwardedFor = request.headers.get('x-forwarded-for');
    const realIp = request.headers.get('x-real-ip');
    return forwardedClient(peer, forwardedFor ? [forwardedFor] : realIp ? [realIp] : [], this.#proxies);
  }

  /** Scheme and host the client used, from `X-Forwarded-Proto`/`-Host` only when a trusted proxy sent them. */
  base(request: Request, peer: string): string {
    const url = new URL(request.url);
    const trusted = isTrustedProxy(peer, this.#proxies);
    const proto = trusted ? first(request.headers.get('x-forwarded-proto')) : undefined;
    const host = trusted ? first(request.headers.get('x-forwarded-host')) : undefined;
    return `${proto ?? url.protocol.replace(/:$/, '')}://${host ?? url.host}`;
  }
}

/**
 * The event's `request.addr` as distribution records it: `X-Forwarded-For` first, then
 * `X-Real-Ip`, then the peer. It is a record of what the request said, never a decision.
 */
export function recordedAddr(request: Request, peer: string): string {
  return first(request.headers.get('x-forwarded-for')) ?? first(request.headers.get('x-real-ip')) ?? peer;
}
