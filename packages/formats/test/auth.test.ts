import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import {
  decodeBase64,
  encodeBase64,
  matchesHarborAuthHeader,
  matchesStaticHeaders,
  SecretSet,
  timingSafeEqual,
  verifyGitHubSignature,
  verifyHarborAuthHeader,
  verifyJFrogEventAuth,
  verifyStaticHeaders,
} from '../src/index.js';

const body = '{"action":"published"}';
// Reference HMACs from node:crypto, independent of the WebCrypto code under test.
const hmacHex = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');

describe('timingSafeEqual', () => {
  it('compares every byte and the lengths', () => {
    const a = new Uint8Array([1, 2, 3, 4]);
    expect(timingSafeEqual(a, new Uint8Array([1, 2, 3, 4]))).toBe(true);
    for (let i = 0; i < a.length; i++) {
      const changed = a.slice();
      changed[i] = (changed[i] ?? 0) ^ 1;
      expect(timingSafeEqual(a, changed)).toBe(false);
      expect(timingSafeEqual(changed, a)).toBe(false);
    }
    expect(timingSafeEqual(a, a.subarray(0, 3))).toBe(false);
    expect(timingSafeEqual(a.subarray(0, 3), a)).toBe(false);
    expect(timingSafeEqual(new Uint8Array([0]), new Uint8Array([]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([]), new Uint8Array([0]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([]), new Uint8Array([]))).toBe(true);
  });
});

describe('SecretSet', () => {
  it('SecretSet matches any accepted secret exactly, whatever the lengths, and shows none of them', () => {
    const set = new SecretSet(['short', 'a much longer secret value']);
    expect(set.matchesAny(['short'])).toBe(true);
    expect(set.matchesAny(['nope', 'a much longer secret value'])).toBe(true);
    for (const near of ['shor', 'shortt', 'Short', 'a much longer secret valuE', '']) expect(set.matchesAny([near]), near).toBe(false);
    expect(set.matchesAny([])).toBe(false);
    expect(`${set} ${inspect(set, { showHidden: true })} ${JSON.stringify(set)}`).not.toMatch(/short|longer/);
  });

  it('matches exactly what === matches, code unit for code unit (a lone surrogate is not U+FFFD)', () => {
    expect(new SecretSet(['\ufffd']).matchesAny(['\ud800'])).toBe(false);
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 3 }), fc.array(fc.string({ unit: 'binary' }), { maxLength: 3 }), (secrets, candidates) => {
        const set = new SecretSet(secrets);
        return set.matchesAny(candidates) === candidates.some((candidate) => secrets.includes(candidate)) && set.matchesAny(secrets) === secrets.length > 0;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('base64', () => {
  it('decodes and encodes standard base64 as node:buffer does, and refuses what is not base64', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, index) => index);
    const encoded = Buffer.from(bytes).toString('base64');
    expect(encodeBase64(bytes)).toBe(encoded);
    expect(decodeBase64(encoded)).toEqual(bytes);
    expect(() => decodeBase64('not base64!')).toThrow();
  });
});

describe('vendor auth', () => {
  it('Harbor auth_header: the Authorization header must equal the configured value', async () => {
    expect(await verifyHarborAuthHeader({ Authorization: 'Bearer s3cret' }, 'Bearer s3cret')).toBe(true);
    expect(await verifyHarborAuthHeader(new Headers({ authorization: 'Bearer s3cret' }), ['old', 'Bearer s3cret'])).toBe(true);
    expect(await verifyHarborAuthHeader({ Authorization: 'Bearer s3cre' }, 'Bearer s3cret')).toBe(false);
    expect(await verifyHarborAuthHeader({ Authorization: 'Bearer s3cretX' }, 'Bearer s3cret')).toBe(false);
    expect(await verifyHarborAuthHeader({}, 'Bearer s3cret')).toBe(false);
  });

  it('the header checks answer synchronously too, with the same verdicts (repeated values joined as HTTP does)', () => {
    expect(matchesHarborAuthHeader({ authorization: ['Bearer s3cret'] }, ['old', 'Bearer s3cret'])).toBe(true);
    expect(matchesHarborAuthHeader({ authorization: [] }, 'Bearer s3cret')).toBe(false);
    expect(matchesHarborAuthHeader({ authorization: ['Bearer s3cret', 'again'] }, 'Bearer s3cret')).toBe(false);
    expect(matchesStaticHeaders({ 'x-token': ['a'], authorization: ['b'] }, { 'x-token': 'a', authorization: ['z', 'b'] })).toBe(true);
    expect(matchesStaticHeaders({ 'x-token': ['a'] }, { 'x-token': 'a', authorization: 'b' })).toBe(false);
    expect(matchesStaticHeaders({ 'x-token': ['a'] }, {})).toBe(false);
  });

  it('static headers (ACR, GitLab): every configured header must carry its value', async () => {
    expect(await verifyStaticHeaders({ 'X-Token': 'a', Authorization: 'b' }, { 'x-token': 'a', authorization: ['z', 'b'] })).toBe(true);
    expect(await verifyStaticHeaders({ 'X-Token': 'a' }, { 'x-token': 'a', authorization: 'b' })).toBe(false);
    expect(await verifyStaticHeaders({ 'X-Token': 'a' }, {})).toBe(false);
  });

  it('GHCR X-Hub-Signature-256 matches an HMAC computed by node:crypto', async () => {
    const signature = `sha256=${hmacHex('hook-secret', body)}`;
    expect(await verifyGitHubSignature(body, { 'X-Hub-Signature-256': signature }, 'hook-secret')).toBe(true);
    expect(await verifyGitHubSignature(new TextEncoder().encode(body), { 'x-hub-signature-256': signature }, ['rotated', 'hook-secret'])).toBe(true);
    expect(await verifyGitHubSignature(`${body} `, { 'X-Hub-Signature-256': signature }, 'hook-secret')).toBe(false);
    expect(await verifyGitHubSignature(body, { 'X-Hub-Signature-256': signature }, 'other')).toBe(false);
    expect(await verifyGitHubSignature(body, { 'X-Hub-Signature-256': hmacHex('hook-secret', body) }, 'hook-secret')).toBe(false);
    expect(await verifyGitHubSignature(body, { 'X-Hub-Signature-256': 'sha256=zz' }, 'hook-secret')).toBe(false);
  });

  it('JFrog X-JFrog-Event-Auth: the secret itself or the hex HMAC of the body, as configured', async () => {
    const hmac = hmacHex('jfrog', body);
    expect(await verifyJFrogEventAuth(body, { 'X-JFrog-Event-Auth': 'jfrog' }, 'jfrog')).toBe(true);
    expect(await verifyJFrogEventAuth(body, { 'X-JFrog-Event-Auth': hmac }, 'jfrog')).toBe(true);
    expect(await verifyJFrogEventAuth(body, { 'X-JFrog-Event-Auth': 'jfrog' }, 'jfrog', 'hmac')).toBe(false);
    expect(await verifyJFrogEventAuth(body, { 'X-JFrog-Event-Auth': hmac }, 'jfrog', 'secret')).toBe(false);
    expect(await verifyJFrogEventAuth(`${body}x`, { 'X-JFrog-Event-Auth': hmac }, 'jfrog', 'hmac')).toBe(false);
    expect(await verifyJFrogEventAuth(body, {}, 'jfrog')).toBe(false);
  });
});
