import { describe, expect, it } from 'vitest';
import { createIpAllowlist } from '../src/ip-allowlist.js';
import { WebhookConfigError } from '../src/index.js';

describe('createIpAllowlist', () => {
  const allowed = createIpAllowlist({ allow: ['10.0.0.0/8', '192.168.1.7', 'fd00::/8', '2001:db8::1'], trustedProxies: ['127.0.0.1', '::1'] });

  it('matches IPv4 and IPv6 ranges and single addresses', () => {
    expect(allowed('10.255.0.1', [])).toBe(true);
    expect(allowed('11.0.0.1', [])).toBe(false);
    expect(allowed('192.168.1.7', [])).toBe(true);
    expect(allowed('192.168.1.8', [])).toBe(false);
    expect(allowed('fd12:3456::9', [])).toBe(true);
    expect(allowed('fe80::1', [])).toBe(false);
    expect(allowed('2001:db8::1', [])).toBe(true);
    expect(allowed('2001:db8::2', [])).toBe(false);
  });

  it('treats IPv4-mapped IPv6 peers (dual-stack sockets) as IPv4', () => {
    expect(allowed('::ffff:10.1.2.3', [])).toBe(true);
    expect(allowed('::ffff:11.1.2.3', [])).toBe(false);
  });

  it('believes X-Forwarded-For only from trusted proxies, reading right to left', () => {
    expect(allowed('127.0.0.1', ['10.1.2.3'])).toBe(true);
    expect(allowed('::1', ['10.1.2.3'])).toBe(true);
    // a client forging the header directly is judged by its own address
    expect(allowed('203.0.113.9', ['10.1.2.3'])).toBe(false);
    // the proxy appended the real client last; a forged entry further left is never reached
    expect(allowed('127.0.0.1', ['10.1.2.3, 203.0.113.9'])).toBe(false);
    expect(allowed('127.0.0.1', ['203.0.113.9', '10.1.2.3'])).toBe(true);
    // several trusted hops
    expect(allowed('127.0.0.1', ['10.1.2.3, 127.0.0.1'])).toBe(true);
    // a trusted proxy without the header is judged itself
    expect(allowed('127.0.0.1', [])).toBe(false);
  });

  it('refuses unknown and unparseable addresses', () => {
    expect(allowed(undefined, ['10.1.2.3'])).toBe(false);
    expect(allowed('not-an-ip', [])).toBe(false);
    expect(allowed('127.0.0.1', ['garbage'])).toBe(false);
  });

  it('accepts ports and brackets as proxies write them', () => {
    expect(allowed('127.0.0.1', ['10.1.2.3:5000'])).toBe(true);
    expect(allowed('127.0.0.1', ['[fd00::1]:5000'])).toBe(true);
  });

  it('rejects malformed configuration with the position of the bad entry', () => {
    expect(() => createIpAllowlist({ allow: ['10.0.0.0/33'] })).toThrow(WebhookConfigError);
    expect(() => createIpAllowlist({ allow: ['10.0.0.0/8', 'nope'] })).toThrow(/auth\.ip\.allow\[1\]/);
    expect(() => createIpAllowlist({ allow: [] })).toThrow(/no address/);
    expect(() => createIpAllowlist({ allow: ['::/0'], trustedProxies: ['x'] })).toThrow(/trustedProxies\[0\]/);
  });
});
