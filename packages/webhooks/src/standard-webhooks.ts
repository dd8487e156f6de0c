import { decodeBase64, encodeBase64, hmacSha256, importHmacKey, SecretSet } from '@regevents/formats';
import { WebhookConfigError } from './errors.js';

/**
 * Standard Webhooks v1 (https://www.standardwebhooks.com): an HMAC-SHA256 over
 * `${webhook-id}.${webhook-timestamp}.${body}`, sent as `v1,<base64>` entries in `webhook-signature`.
 * The registry itself cannot sign (it only adds static headers); relays and emitters in front of
 * it can, and consumers use `generateTestHeaders` in their tests.
 */

/** A secret as Standard Webhooks serialises it (`whsec_` + base64), bare base64, or raw key bytes. */
export type WebhookSecret = string | Uint8Array;

const SECRET_PREFIX = 'whsec_';
const encoder = new TextEncoder();

function secretBytes(secret: WebhookSecret): Uint8Array<ArrayBuffer> {
  if (secret instanceof Uint8Array) {
    if (secret.byteLength === 0) throw new WebhookConfigError('Standard Webhooks secret is empty');
    return new Uint8Array(secret);
  }
  if (typeof secret !== 'string' || secret.length === 0) throw new WebhookConfigError('Standard Webhooks secret is empty');
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  try {
    const bytes = decodeBase64(encoded);
    if (bytes.byteLength > 0) return bytes;
  } catch {
    // reported below, without echoing the secret
  }
  throw new WebhookConfigError('Standard Webhooks secret must be "whsec_" followed by base64 (or raw key bytes)');
}

function importSigningKey(secret: WebhookSecret): Promise<CryptoKey> {
  return importHmacKey(secretBytes(secret));
}

function signedContent(id: string, timestamp: number | string, body: string | Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = encoder.encode(`${id}.${timestamp}.`);
  const payload = typeof body === 'string' ? encoder.encode(body) : body;
  const content = new Uint8Array(prefix.byteLength + payload.byteLength);
  content.set(prefix);
  content.set(payload, prefix.byteLength);
  return content;
}

function unixSeconds(timestamp: number | Date): number {
  return timestamp instanceof Date ? Math.floor(timestamp.getTime() / 1000) : timestamp;
}

export interface SignPayloadInput {
  secret: WebhookSecret;
  /** The `webhook-id`: unique per message, stable across retries. */
  id: string;
  /** Unix seconds, or a Date. */
  timestamp: number | Date;
  /** The exact bytes sent as the body. */
  body: string | Uint8Array;
}

/** The `webhook-signature` entry for one secret: `v1,<base64 HMAC-SHA256>`. */
export async function signPayload(input: SignPayloadInput): Promise<string> {
  const key = await importSigningKey(input.secret);
  const mac = await hmacSha256(key, signedContent(input.id, unixSeconds(input.timestamp), input.body));
  return `v1,${encodeBase64(mac)}`;
}

export type StandardWebhooksHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

export interface TestHeadersInput {
  /** One secret, or several: one signature entry each (how a sender rotates keys). */
  secret: WebhookSecret | readonly WebhookSecret[];
  body: string | Uint8Array;
  /** Default: a random `msg_` id. */
  id?: string;
  /** Default: now. */
  timestamp?: number | Date;
}

/** Signed Standard Webhooks headers for a body, to send from a relay or a test. */
export async function generateTestHeaders(input: TestHeadersInput): Promise<StandardWebhooksHeaders> {
  const id = input.id ?? `msg_${crypto.randomUUID().replaceAll('-', '')}`;
  const timestamp = unixSeconds(input.timestamp ?? new Date());
  const secrets = Array.isArray(input.secret) ? (input.secret as readonly WebhookSecret[]) : [input.secret as WebhookSecret];
  const signatures = await Promise.all(secrets.map((secret) => signPayload({ secret, id, timestamp, body: input.body })));
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatures.join(' ') };
}

export interface StandardWebhooksOptions {
  /** Accepted secrets; several during a rotation. */
  secret: WebhookSecret | readonly WebhookSecret[];
  /** How far `webhook-timestamp` may be from now, either way, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

export interface SignedMessage {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  body: Uint8Array;
}

const TIMESTAMP = /^\d{1,15}$/;

/** Builds a verifier; it answers only true or false, so a failure reveals nothing to the sender. */
export function createStandardWebhooksVerifier(options: StandardWebhooksOptions): (message: SignedMessage) => Promise<boolean> {
  const secrets = Array.isArray(options.secret) ? (options.secret as readonly WebhookSecret[]) : [options.secret as WebhookSecret];
  if (secrets.length === 0) throw new WebhookConfigError('auth.standardWebhooks.secret lists no secret');
  const tolerance = options.toleranceSeconds ?? 300;
  if (!(tolerance >= 0)) throw new WebhookConfigError('auth.standardWebhooks.toleranceSeconds must be a number >= 0');
  const now = options.now ?? Date.now;
  for (const secret of secrets) secretBytes(secret);
  const keys = Promise.all(secrets.map(importSigningKey));

  return async ({ id, timestamp, signature, body }) => {
    if (!id || !timestamp || !signature || !TIMESTAMP.test(timestamp)) return false;
    const sentAt = Number(timestamp);
    if (Math.abs(now() / 1000 - sentAt) > tolerance) return false;
    const presented: Uint8Array[] = [];
    for (const entry of signature.split(' ')) {
      const [version, encoded] = entry.split(',', 2);
      if (version !== 'v1' || !encoded) continue;
      try {
        presented.push(decodeBase64(encoded));
      } catch {
        // a malformed entry is simply not a match
      }
    }
    if (presented.length === 0) return false;
    // the timestamp exactly as sent: re-formatting the number would change what was signed
    const content = signedContent(id, timestamp, body);
    const expected = await Promise.all((await keys).map((key) => hmacSha256(key, content)));
    return SecretSet.anyEqual(presented, expected);
  };
}
