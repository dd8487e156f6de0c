import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { serveOnLoopback, type LoopbackServer } from '@regevents/registry-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPubSubPushVerifier, type PubSubPushAuthOptions } from '../src/index.js';

// Tokens are signed with node:crypto, independently of the library that verifies them.
function rsaKey(kid: string): { privateKey: KeyObject; jwk: Record<string, unknown> } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

const google = rsaKey('google-key-1');
const attacker = rsaKey('google-key-1');
const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function token(claims: Record<string, unknown>, { key = google.privateKey, header = { alg: 'RS256', kid: 'google-key-1', typ: 'JWT' } as Record<string, unknown> } = {}): string {
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')}`;
}

const AUDIENCE = 'https://hooks.example.com/registry-events';
const ACCOUNT = 'pusher@my-project.iam.gserviceaccount.com';
const now = () => Math.floor(Date.now() / 1000);
const good = () => ({ iss: 'https://accounts.google.com', aud: AUDIENCE, email: ACCOUNT, email_verified: true, iat: now() - 10, exp: now() + 3600, sub: '1234567890' });
const options: PubSubPushAuthOptions = { audience: AUDIENCE, serviceAccountEmail: ACCOUNT, keys: { keys: [google.jwk] } };

describe('createPubSubPushVerifier', () => {
  const verify = createPubSubPushVerifier(options);
  const bearer = (jwt: string) => ({ Authorization: `Bearer ${jwt}` });

  it('passes a Google-signed token for the audience and service account', async () => {
    expect(await verify(bearer(token(good())))).toBe(true);
    expect(await verify(new Headers(bearer(token({ ...good(), iss: 'accounts.google.com' }))))).toBe(true);
    expect(await verify(bearer(token({ ...good(), email: ACCOUNT.toUpperCase() })))).toBe(true);
  });

  it.each([
    ['another audience', { aud: 'https://elsewhere.example.com/' }],
    ["another project's service account (same audience)", { email: 'someone@other-project.iam.gserviceaccount.com' }],
    ['an unverified email', { email_verified: false }],
    ['no email', { email: undefined }],
    ['another issuer', { iss: 'https://issuer.example.com' }],
    ['an expired token', { iat: now() - 7200, exp: now() - 3600 }],
    ['a token not valid yet', { nbf: now() + 3600 }],
    ['no expiry', { exp: undefined }],
  ])('refuses %s', async (_name, change) => {
    expect(await verify(bearer(token({ ...good(), ...change })))).toBe(false);
  });

  it('refuses forged, unsigned and malformed tokens without throwing', async () => {
    expect(await verify(bearer(token(good(), { key: attacker.privateKey })))).toBe(false);
    const [header, payload] = token(good()).split('.');
    expect(await verify(bearer(`${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`))).toBe(false);
    expect(await verify(bearer(`${header}.${payload}.`))).toBe(false);
    expect(await verify(bearer(token(good(), { header: { alg: 'HS256', kid: 'google-key-1' } })))).toBe(false);
    expect(await verify(bearer(token(good(), { header: { alg: 'RS256', kid: 'unknown-key' } })))).toBe(false);
    for (const authorization of ['', 'Bearer', `Basic ${token(good())}`, `Bearer ${token(good())} extra`, 'Bearer a.b.c', `bearer${token(good())}`, `Bearer ${'a'.repeat(100_000)}.b.c`]) {
      expect(await verify({ authorization }), authorization.slice(0, 40)).toBe(false);
    }
    expect(await verify({})).toBe(false);
  });

  it('accepts any of several audiences and service accounts (rotation)', async () => {
    const rotating = createPubSubPushVerifier({ ...options, audience: ['https://old.example.com', AUDIENCE], serviceAccountEmail: ['old@p.iam.gserviceaccount.com', ACCOUNT] });
    expect(await rotating(bearer(token(good())))).toBe(true);
    expect(await rotating(bearer(token({ ...good(), aud: 'https://old.example.com', email: 'old@p.iam.gserviceaccount.com' })))).toBe(true);
  });

  it('is configured with an audience and a service account, or refuses to start', () => {
    expect(() => createPubSubPushVerifier({ ...options, audience: [] })).toThrow(TypeError);
    expect(() => createPubSubPushVerifier({ ...options, serviceAccountEmail: [] })).toThrow(TypeError);
  });

  describe('keys fetched over HTTP', () => {
    let server: LoopbackServer;
    let served = 0;
    let url: URL;
    beforeAll(async () => {
      server = await serveOnLoopback((_request, response) => {
        served += 1;
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ keys: [google.jwk] }));
      });
      url = new URL(`${server.origin}/certs`);
    });
    afterAll(() => server.close());

    it('fetches the key set once and reuses it', async () => {
      const remote = createPubSubPushVerifier({ ...options, keys: url });
      expect(await remote(bearer(token(good())))).toBe(true);
      expect(await remote(bearer(token(good())))).toBe(true);
      expect(await remote(bearer(token(good(), { key: attacker.privateKey })))).toBe(false);
      expect(served).toBe(1);
    });

    it('keys that cannot be fetched refuse the token rather than throw', async () => {
      const unreachable = createPubSubPushVerifier({ ...options, keys: new URL('http://127.0.0.1:9/certs') });
      expect(await unreachable(bearer(token(good())))).toBe(false);
    });
  });
});
