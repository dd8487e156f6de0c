import { describe, expect, it } from 'vitest';
import { forwardedClient, IpRangeError, IpRanges, isTrustedProxy, parseIpAddress } from '../src/index.js';

describe('IpRanges and forwardedClient', () => {
  const proxies = new IpRanges(['127.0.0.1', '::1', '10.0.0.0/8'], 'trustedProxies');

  it('names the entry that is not an address or range', () => {
    expect(() => new IpRanges(['10.0.0.0/8', 'not-an-ip'], 'allowedClients')).toThrow(IpRangeError);
    expect(() => new IpRanges(['10.0.0.0/8', 'not-an-ip'], 'allowedClients')).toThrow('allowedClients[1] is not an IP address or CIDR range: "not-an-ip"');
  });

  it('reads peers as sockets and proxies write them', () => {
    expect(parseIpAddress('192.0.2.1:5000')?.toString()).toBe('192.0.2.1');
    expect(parseIpAddress('[::1]:5000')?.toString()).toBe('::1');
    expect(parseIpAddress('::ffff:10.1.2.3')?.toString()).toBe('10.1.2.3');
    expect(parseIpAddress('registry.test')).toBeUndefined();
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(forwardedClient('192.0.2.1:5000', ['10.1.2.3'], proxies)?.toString()).toBe('192.0.2.1');
    expect(forwardedClient('192.0.2.1', ['10.1.2.3'], new IpRanges([], 'trustedProxies'))?.toString()).toBe('192.0.2.1');
  });

  it('follows trusted proxies right to left, never reaching a forged entry further left', () => {
    expect(forwardedClient('127.0.0.1:1', ['203.0.113.9'], proxies)?.toString()).toBe('203.0.113.9');
    expect(forwardedClient('127.0.0.1:1', ['198.51.100.1, 10.0.0.2', '203.0.113.9'], proxies)?.toString()).toBe('203.0.113.9');
    expect(forwardedClient('127.0.0.1:1', ['198.51.100.1, 10.0.0.2'], proxies)?.toString()).toBe('198.51.100.1');
    expect(forwardedClient('127.0.0.1:1', ['junk'], proxies)).toBeUndefined();
  });

  it('says whether forwarding headers from a peer may be believed', () => {
    expect(isTrustedProxy('[::1]:4000', proxies)).toBe(true);
    expect(isTrustedProxy('192.0.2.1:4000', proxies)).toBe(false);
    expect(isTrustedProxy(undefined, proxies)).toBe(false);
  });
});
