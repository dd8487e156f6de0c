import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyGitHubSignature, verifyHarborAuthHeader, verifyJFrogEventAuth, verifyStaticHeaders } from '../src/index.js';

const body = '{"action":"published"}';
// Reference HMACs from node:crypto, independent of the WebCrypto code under test.
const hmacHex = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');

describe('vendor auth', () => {
  it('Harbor auth_header: the Authorization header must equal the configured value', async () => {
    expect(await verifyHarborAuthHeader({ Authorization: 'Bearer s3cret' }, 'Bearer s3cret')).toBe(true);
    expect(await verifyHarborAuthHeader(new Headers({ authorization: 'Bearer s3cret' }), ['old', 'Bearer s3cret'])).toBe(true);
    expect(await verifyHarborAuthHeader({ Authorization: 'Bearer s3cre' }, 'Bearer s3cret')).toBe(false);
    expect(await verifyHarborAuthHeader({ Authorization: 'Bearer s3cretX' }, 'Bearer s3cret')).toBe(false);
    expect(await verifyHarborAuthHeader({}, 'Bearer s3cret')).toBe(false);
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
