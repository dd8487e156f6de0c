import ipaddr from 'ipaddr.js';
import { WebhookConfigError } from './errors.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

export interface IpAllowlistOptions {
  /** Addresses and CIDR ranges allowed to deliver, IPv4 or IPv6: `10.0.0.0/8`, `fd00::/8`, `127.0.0.1`. */
  allow: readonly string[];
  /**
   * Proxies in front of this receiver. `X-Forwarded-For` is believed only for hops that arrive from
   * one of these; without them the header is ignored, since any client can send it.
   */
  trustedProxies?: readonly string[];
}

function parseRanges(entries: readonly string[], option: string): Range[] {
  if (!Array.isArray(entries)) throw new WebhookConfigError(`${option} must be an array of addresses or CIDR ranges`);
  return entries.map((entry, index) => {
    const text = String(entry).trim();
    try {
      if (text.includes('/')) {
        const [address, bits] = ipaddr.parseCIDR(text);
        return [normalize(address), normalizedBits(address, bits)];
      }
      const address = normalize(ipaddr.parse(text));
      return [address, address.kind() === 'ipv4' ? 32 : 128];
    } catch {
      throw new WebhookConfigError(`${option}[${index}] is not an IP address or CIDR range: ${JSON.stringify(text)}`);
    }
  });
}

/** IPv4-mapped IPv6 (`::ffff:10.0.0.1`, how dual-stack sockets report IPv4 peers) is matched as IPv4. */
function normalize(address: Address): Address {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

function normalizedBits(address: Address, bits: number): number {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? Math.max(0, bits - 96) : bits;
}

function parseAddress(text: string): Address | undefined {
  let candidate = text.trim();
  // "[::1]:8080" and "10.0.0.1:8080" as some proxies write them
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(candidate);
  if (bracketed?.[1]) candidate = bracketed[1];
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(candidate)) candidate = candidate.slice(0, candidate.lastIndexOf(':'));
  candidate = candidate.replace(/%.*$/, ''); // IPv6 zone index
  if (!ipaddr.isValid(candidate)) return undefined;
  try {
    return normalize(ipaddr.parse(candidate));
  } catch {
    return undefined;
  }
}

function inRanges(address: Address, ranges: readonly Range[]): boolean {
  return ranges.some(([base, bits]) => base.kind() === address.kind() && address.match(base, bits));
}

/**
 * Builds the check. The client is the peer address, or, while the peer is a trusted proxy, the
 * address that proxy appended last to `X-Forwarded-For` (read right to left, so entries a client
 * forged at the left are never reached). An unknown or unparseable address is refused.
 */
export function createIpAllowlist(options: IpAllowlistOptions): (remoteAddress: string | undefined, forwardedFor: readonly string[]) => boolean {
  const allow = parseRanges(options.allow, 'auth.ip.allow');
  if (allow.length === 0) throw new WebhookConfigError('auth.ip.allow lists no address');
  const proxies = parseRanges(options.trustedProxies ?? [], 'auth.ip.trustedProxies');

  return (remoteAddress, forwardedFor) => {
    let client = remoteAddress === undefined ? undefined : parseAddress(remoteAddress);
    if (!client) return false;
    const hops = forwardedFor.flatMap((value) => value.split(',')).map((hop) => hop.trim()).filter(Boolean);
    while (inRanges(client, proxies) && hops.length > 0) {
      client = parseAddress(hops.pop() as string);
      if (!client) return false;
    }
    return inRanges(client, allow);
  };
}
