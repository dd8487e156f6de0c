import * as ipaddrModule from 'ipaddr.js';

// ipaddr.js is CommonJS without a declared default export: Node exposes it as `default`, bundlers as the namespace.
const ipaddr = (ipaddrModule as unknown as { default?: typeof ipaddrModule }).default ?? ipaddrModule;

export type IpAddress = ipaddrModule.IPv4 | ipaddrModule.IPv6;

/** An entry of an address list that is neither an IP address nor a CIDR range. */
export class IpRangeError extends TypeError {
  readonly option: string;
  readonly index: number;

  constructor(option: string, index: number, entry: string) {
    super(`${option}[${index}] is not an IP address or CIDR range: ${JSON.stringify(entry)}`);
    this.name = 'IpRangeError';
    this.option = option;
    this.index = index;
  }
}

/** IPv4-mapped IPv6 (`::ffff:10.0.0.1`, how dual-stack sockets report IPv4 peers) is matched as IPv4. */
function normalize(address: IpAddress): IpAddress {
  return address.kind() === 'ipv6' && (address as ipaddrModule.IPv6).isIPv4MappedAddress() ? (address as ipaddrModule.IPv6).toIPv4Address() : address;
}

function normalizedBits(address: IpAddress, bits: number): number {
  return address.kind() === 'ipv6' && (address as ipaddrModule.IPv6).isIPv4MappedAddress() ? Math.max(0, bits - 96) : bits;
}

/** Addresses and CIDR ranges, IPv4 or IPv6 (`10.0.0.0/8`, `fd00::/8`, `127.0.0.1`). */
export class IpRanges {
  readonly #ranges: [IpAddress, number][];

  /** Throws `IpRangeError` naming `option[index]` for an entry that is not an address or range. */
  constructor(entries: readonly string[], option: string) {
    if (!Array.isArray(entries)) throw new TypeError(`${option} must be an array of addresses or CIDR ranges`);
    this.#ranges = entries.map((entry, index) => {
      const text = String(entry).trim();
      try {
        if (text.includes('/')) {
          const [address, bits] = ipaddr.parseCIDR(text);
          return [normalize(address), normalizedBits(address, bits)];
        }
        const address = normalize(ipaddr.parse(text));
        return [address, address.kind() === 'ipv4' ? 32 : 128];
      } catch {
        throw new IpRangeError(option, index, text);
      }
    });
  }

  get size(): number {
    return this.#ranges.length;
  }

  includes(address: IpAddress): boolean {
    return this.#ranges.some(([base, bits]) => base.kind() === address.kind() && address.match(base, bits));
  }
}

/** An address as sockets and proxies write it (`10.0.0.1`, `10.0.0.1:8080`, `[::1]:8080`, `fe80::1%eth0`), or undefined. */
export function parseIpAddress(text: string): IpAddress | undefined {
  let candidate = text.trim();
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

/**
 * The client behind a request: the peer address, or, while that hop is a trusted proxy, the
 * address the proxy appended last to `X-Forwarded-For` (read right to left, so entries a client
 * forged at the left are never reached). Without trusted proxies the header is ignored, since any
 * client can send it. Undefined when an address on the way cannot be parsed.
 */
export function forwardedClient(peer: string | undefined, forwardedFor: readonly string[], trustedProxies: IpRanges): IpAddress | undefined {
  let client = peer === undefined ? undefined : parseIpAddress(peer);
  if (!client) return undefined;
  const hops = forwardedFor.flatMap((value) => value.split(',')).map((hop) => hop.trim()).filter(Boolean);
  while (trustedProxies.includes(client) && hops.length > 0) {
    client = parseIpAddress(hops.pop() as string);
    if (!client) return undefined;
  }
  return client;
}

/** True when the peer is one of the trusted proxies, whose forwarding headers (`X-Forwarded-Host`, `-Proto`) may be believed. */
export function isTrustedProxy(peer: string | undefined, trustedProxies: IpRanges): boolean {
  const address = peer === undefined ? undefined : parseIpAddress(peer);
  return address !== undefined && trustedProxies.includes(address);
}
