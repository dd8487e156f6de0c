import { createWebhookHandler } from '@regevents/webhooks';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deliver, isHeaderValue, standardWebhooksSignature } from './webhook-requests.js';

const TOKEN = 'reliability-token_0123';
const SECRET = `whsec_${Buffer.from('reliability secret bytes, 32 long').toString('base64')}`;

/** Header values built from the pieces real and broken clients send, plus arbitrary bytes. */
function headerValue(pieces: string[]): fc.Arbitrary<string> {
  const piece = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pieces) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) });
  return fc.array(piece, { maxLength: 6 }).map((parts) => parts.join('')).filter(isHeaderValue);
}

/** Independent oracle for bearer: some comma-separated item, trimmed, is `Bearer <token>`, the scheme in any case. */
function bearerAccepts(value: string): boolean {
  return [value, ...value.split(',')].some((item) => /^bearer[ \t]+(\S+)$/i.exec(item.trim())?.[1] === TOKEN);
}

describe('auth header parsers under property tests (through createWebhookHandler(...).fetch)', () => {
  it('Authorization for bearer: 200 exactly when some item is "Bearer <token>", otherwise 401', async () => {
    const handler = createWebhookHandler({ auth: { bearer: TOKEN }, dedupe: false });
    const value = headerValue(['Bearer', 'bearer', 'BEARER', 'Basic', ' ', '\t', '  ', ',', ', ', TOKEN, TOKEN.toUpperCase(), TOKEN.slice(1), `${TOKEN}x`, '=', '"']);
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 3 }), async (values) => {
        const status = await deliver(handler, values.map((v) => ['authorization', v]));
        // repeated headers reach fetch handlers joined with ", "
        expect(status).toBe(bearerAccepts(values.join(', ')) ? 200 : 401);
      }),
      { numRuns: 3_000 },
    );
  });

  it('Authorization for basic: 200 exactly when it is Basic base64(user:password) with any scheme case and blanks', async () => {
    const handler = createWebhookHandler({ auth: { basic: { username: 'registry', password: 'p@ss:w0rd' } }, dedupe: false });
    const encoded = (text: string) => Buffer.from(text, 'utf8').toString('base64');
    const credentials = fc.oneof(
      fc.constantFrom('registry:p@ss:w0rd', 'registry:p@ss', 'Registry:p@ss:w0rd', 'registry:p@ss:w0rd ', ':', '').map(encoded),
      fc.string({ maxLength: 30 }).map(encoded),
      fc.string({ unit: 'binary', maxLength: 30 }),
    );
    const value = fc.tuple(fc.constantFrom('Basic ', 'basic\t', 'BASIC  ', 'Bearer ', 'Basic', ''), credentials).map(([scheme, text]) => `${scheme}${text}`).filter(isHeaderValue);
    const expected = `Basic ${encoded('registry:p@ss:w0rd')}`.toLowerCase();
    await fc.assert(
      fc.asyncProperty(value, async (header) => {
        const status = await deliver(handler, [['authorization', header]]);
        const [scheme = '', payload = ''] = header.trim().split(/[ \t]+/);
        const accepted = `${scheme} ${payload}`.toLowerCase() === expected && header.trim().split(/[ \t]+/).length === 2 && Buffer.from(payload, 'base64').toString('base64') === payload;
        expect(status).toBe(accepted ? 200 : 401);
      }),
      { numRuns: 2_000 },
    );
  });

  it('webhook-signature (Standard Webhooks): a correct v1 entry is required and sufficient, whatever else the header holds', async () => {
    const now = 1_767_225_600;
    const handler = createWebhookHandler({ auth: { standardWebhooks: { secret: SECRET, now: () => now * 1000 } }, dedupe: false });
    const body = '{"events":[]}';
    const id = 'msg_2Kq';
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant(String(now)), fc.integer({ min: now - 1_000, max: now + 1_000 }).map(String), fc.string({ maxLength: 20 })),
        fc.array(fc.oneof(fc.constant('valid'), fc.constantFrom('v1,', 'v1a,AAAA', 'v2,', 'v1', ',', '', 'v1,!!!!', 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='), fc.string({ maxLength: 40 })), { maxLength: 4 }),
        async (timestamp, entries) => {
          const signature = /^\d{1,15}$/.test(timestamp) ? standardWebhooksSignature(SECRET, id, timestamp, body) : 'unsignable';
          const header = entries.map((entry) => (entry === 'valid' ? `v1,${signature}` : entry)).join(' ');
          fc.pre(isHeaderValue(header) && isHeaderValue(timestamp));
          const status = await deliver(handler, [['webhook-id', id], ['webhook-timestamp', timestamp], ['webhook-signature', header]], body);
          const fresh = /^\d{1,15}$/.test(timestamp) && Math.abs(Number(timestamp) - now) <= 300;
          const correctEntry = header.split(' ').some((entry) => entry === `v1,${signature}`);
          const anyMatchingBytes = header.split(' ').some((entry) => entry.startsWith('v1,') && Buffer.from(entry.slice(3), 'base64').equals(Buffer.from(signature, 'base64')));
          if (fresh && correctEntry) expect(status).toBe(200);
          if (!fresh || !anyMatchingBytes) expect(status).toBe(401);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('X-Forwarded-For: read right to left through trusted proxies only; the first other hop decides', async () => {
    const handler = createWebhookHandler({ auth: { ip: { allow: ['10.1.0.0/16'], trustedProxies: ['127.0.0.1', '10.9.0.0/16'] } }, dedupe: false });
    // Oracle over canonical addresses: what each one is for this allowlist.
    const role = { '10.1.2.3': 'allowed', '10.1.255.255': 'allowed', '[10.1.0.1]:80': 'allowed', '10.1.0.7:443': 'allowed', '::ffff:10.1.2.3': 'allowed', '127.0.0.1': 'proxy', '10.9.1.1': 'proxy', '::ffff:127.0.0.1': 'proxy', '10.2.0.1': 'other', '192.0.2.1': 'other', '::1': 'other', '[::1]:8080': 'other', unknown: 'invalid', '999.1.2.3': 'invalid', '10.1.2.3.4': 'invalid' } as const;
    const hop = fc.constantFrom(...(Object.keys(role) as (keyof typeof role)[]));
    const peer = fc.constantFrom<keyof typeof role>('127.0.0.1', '10.9.1.1', '10.1.2.3', '192.0.2.1');
    await fc.assert(
      fc.asyncProperty(peer, fc.array(fc.array(hop, { maxLength: 4 }), { maxLength: 2 }), fc.constantFrom(',', ', ', ' ,  '), async (remoteAddress, lines, separator) => {
        const status = await deliver(handler, lines.map((hops) => ['x-forwarded-for', hops.join(separator)]), undefined, { remoteAddress });
        const hops = lines.flat();
        let client: keyof typeof role = remoteAddress;
        while (role[client] === 'proxy' && hops.length > 0) client = hops.pop() as keyof typeof role;
        expect(status).toBe(role[client] === 'allowed' ? 200 : 401);
      }),
      { numRuns: 2_000 },
    );
  });

  it('arbitrary X-Forwarded-For bytes never yield 500 or a throw, and never admit an untrusted peer', async () => {
    const handler = createWebhookHandler({ auth: { ip: { allow: ['10.1.0.0/16'], trustedProxies: ['127.0.0.1'] } }, dedupe: false });
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }).filter(isHeaderValue), fc.constantFrom('127.0.0.1', '192.0.2.1', 'not an address'), async (forwarded, remoteAddress) => {
        const status = await deliver(handler, [['x-forwarded-for', forwarded]], undefined, { remoteAddress });
        expect([200, 401]).toContain(status);
        if (remoteAddress !== '127.0.0.1') expect(status).toBe(401);
      }),
      { numRuns: 2_000 },
    );
  });
});
