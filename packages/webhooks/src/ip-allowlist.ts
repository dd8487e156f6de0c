import { forwardedClient, IpRangeError, IpRanges } from '@regevents/config';
import { WebhookConfigError } from './errors.js';

export interface IpAllowlistOptions {
  /** Addresses and CIDR ranges allowed to deliver, IPv4 or IPv6: `10.0.0.0/8`, `fd00::/8`, `127.0.0.1`. */
  allow: readonly string[];
  /**
   * Proxies in front of this receiver. `X-Forwarded-For` is believed only for hops that arrive from
   * one of these; without them the header is ignored, since any client can send it.
   */
  trustedProxies?: readonly string[];
}

function ranges(entries: readonly string[], option: string): IpRanges {
  try {
    return new IpRanges(entries, option);
  } catch (error) {
    throw new WebhookConfigError(error instanceof IpRangeError || error instanceof TypeError ? error.message : String(error));
  }
}

/**
 * Builds the check: the client (the peer, or what trusted proxies forwarded, as `@regevents/config`'s
 * `forwardedClient` reads it) must be in an allowed range. An unknown or unparseable address is refused.
 */
export function createIpAllowlist(options: IpAllowlistOptions): (remoteAddress: string | undefined, forwardedFor: readonly string[]) => boolean {
  const allow = ranges(options.allow, 'auth.ip.allow');
  if (allow.size === 0) throw new WebhookConfigError('auth.ip.allow lists no address');
  const proxies = ranges(options.trustedProxies ?? [], 'auth.ip.trustedProxies');
  return (remoteAddress, forwardedFor) => {
    const client = forwardedClient(remoteAddress, forwardedFor, proxies);
    return client !== undefined && allow.includes(client);
  };
}
