import { describe, expect, it } from 'vitest';
import { createStandardWebhooksVerifier, createWebhookHandler, generateTestHeaders, signPayload, WebhookConfigError } from '../src/index.js';
import { deliver, fixture } from './helpers.js';

// The published Standard Webhooks test vector (DOMAIN.md §5, standard-webhooks spec).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const encoder = new TextEncoder();
const atVectorTime = () => VECTOR.timestamp * 1000;

function message(signature: string, overrides: Partial<{ id: string; timestamp: string; body: Uint8Array }> = {}) {
  return { id: VECTOR.id, timestamp: String(VECTOR.timestamp), signature, body: encoder.encode(VECTOR.body), ...overrides };
}

describe('signPayload', () => {
  it('reproduces the published test vector', async () => {
    await expect(signPayload(VECTOR)).resolves.toBe(VECTOR.signature);
  });

  it('signs bytes and strings alike, and takes a Date', async () => {
    const fromBytes = await signPayload({ ...VECTOR, body: encoder.encode(VECTOR.body), timestamp: new Date(VECTOR.timestamp * 1000) });
    expect(fromBytes).toBe(VECTOR.signature);
  });

  it('accepts the secret as raw key bytes and as bare base64', async () => {
    const base64 = VECTOR.secret.slice('whsec_'.length);
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    await expect(signPayload({ ...VECTOR, secret: bytes })).resolves.toBe(VECTOR.signature);
    await expect(signPayload({ ...VECTOR, secret: base64 })).resolves.toBe(VECTOR.signature);
  });

  it('refuses a secret that is not base64, without echoing it', async () => {
    const secret = 'whsec_not base64 !!';
    const error = await signPayload({ ...VECTOR, secret }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookConfigError);
    expect(String((error as Error).message)).not.toContain('not base64 !!');
  });
});

describe('createStandardWebhooksVerifier', () => {
  const verify = createStandardWebhooksVerifier({ secret: VECTOR.secret, now: atVectorTime });

  it('accepts the vector', async () => {
    await expect(verify(message(VECTOR.signature))).resolves.toBe(true);
  });

  it('accepts when any entry of a rotated signature list matches', async () => {
    await expect(verify(message(`v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= ${VECTOR.signature}`))).resolves.toBe(true);
  });

  it('accepts a message signed by any configured secret', async () => {
    const other = `whsec_${btoa('another secret key, 32 bytes...')}`;
    const rotating = createStandardWebhooksVerifier({ secret: [other, VECTOR.secret], now: atVectorTime });
    await expect(rotating(message(VECTOR.signature))).resolves.toBe(true);
    const signedByOther = await signPayload({ ...VECTOR, secret: other });
    await expect(rotating(message(signedByOther))).resolves.toBe(true);
    await expect(verify(message(signedByOther))).resolves.toBe(false);
  });

  it('rejects a changed body, id or timestamp', async () => {
    await expect(verify(message(VECTOR.signature, { body: encoder.encode('{"test": 2432232315}') }))).resolves.toBe(false);
    await expect(verify(message(VECTOR.signature, { id: 'msg_other' }))).resolves.toBe(false);
    await expect(verify(message(VECTOR.signature, { timestamp: String(VECTOR.timestamp + 1) }))).resolves.toBe(false);
  });

  it('rejects other versions, malformed entries and missing headers', async () => {
    await expect(verify(message(VECTOR.signature.replace('v1,', 'v2,')))).resolves.toBe(false);
    await expect(verify(message('v1,%%%'))).resolves.toBe(false);
    await expect(verify(message(''))).resolves.toBe(false);
    await expect(verify({ ...message(VECTOR.signature), id: undefined })).resolves.toBe(false);
    await expect(verify(message(VECTOR.signature, { timestamp: '16e8' }))).resolves.toBe(false);
  });

  it('enforces the tolerance both ways with the injected clock', async () => {
    const at = (offsetSeconds: number) =>
      createStandardWebhooksVerifier({ secret: VECTOR.secret, toleranceSeconds: 60, now: () => (VECTOR.timestamp + offsetSeconds) * 1000 });
    await expect(at(60)(message(VECTOR.signature))).resolves.toBe(true);
    await expect(at(-60)(message(VECTOR.signature))).resolves.toBe(true);
    await expect(at(61)(message(VECTOR.signature))).resolves.toBe(false);
    await expect(at(-61)(message(VECTOR.signature))).resolves.toBe(false);
  });

  it('defaults to a five-minute tolerance', async () => {
    const at = (offsetSeconds: number) => createStandardWebhooksVerifier({ secret: VECTOR.secret, now: () => (VECTOR.timestamp + offsetSeconds) * 1000 });
    await expect(at(300)(message(VECTOR.signature))).resolves.toBe(true);
    await expect(at(301)(message(VECTOR.signature))).resolves.toBe(false);
  });
});

describe('generateTestHeaders', () => {
  it('produces headers the verifier accepts, one signature per secret', async () => {
    const secondSecret = `whsec_${btoa('second-secret-for-rotation-test!')}`;
    const headers = await generateTestHeaders({ secret: [VECTOR.secret, secondSecret], body: VECTOR.body, id: VECTOR.id, timestamp: VECTOR.timestamp });
    expect(headers['webhook-id']).toBe(VECTOR.id);
    expect(headers['webhook-timestamp']).toBe(String(VECTOR.timestamp));
    expect(headers['webhook-signature'].split(' ')).toEqual([VECTOR.signature, await signPayload({ ...VECTOR, secret: secondSecret })]);
  });

  it('defaults to a fresh msg_ id and the current time', async () => {
    const before = Math.floor(Date.now() / 1000);
    const headers = await generateTestHeaders({ secret: VECTOR.secret, body: '{}' });
    expect(headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(Number(headers['webhook-timestamp'])).toBeGreaterThanOrEqual(before);
    const verify = createStandardWebhooksVerifier({ secret: VECTOR.secret });
    const { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature } = headers;
    await expect(verify({ id, timestamp, signature, body: encoder.encode('{}') })).resolves.toBe(true);
  });
});

describe('a handler that requires Standard Webhooks signatures', () => {
  const hooks = createWebhookHandler({ auth: { standardWebhooks: { secret: VECTOR.secret } } });
  const body = fixture('push-by-tag/003.json').body;

  it('accepts a signed delivery and refuses an unsigned or re-serialised one', async () => {
    const headers = await generateTestHeaders({ secret: VECTOR.secret, body });
    expect((await deliver(hooks, body, { headers })).status).toBe(200);
    expect((await deliver(hooks, body)).status).toBe(401);
    // JSON.parse + JSON.stringify changes the bytes (the registry indents with three spaces): the signature no longer holds
    const reserialised = JSON.stringify(JSON.parse(new TextDecoder().decode(body)));
    expect((await deliver(hooks, reserialised, { headers })).status).toBe(401);
  });
});
