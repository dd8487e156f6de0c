/**
 * Vendor webhook authentication, constant time (the comparison of `./secrets.js`), on WebCrypto
 * (runs on Node, Bun, Deno, workers).
 */
import { headerValue, type HeadersLike } from './headers.js';
import { hmacSha256, importHmacKey, SecretSet } from './secrets.js';

const encoder = new TextEncoder();

function bytesOf(value: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof value === 'string') return encoder.encode(value);
  return value instanceof ArrayBuffer ? new Uint8Array(value) : value;
}

/** True when `presented` equals any of `secrets`; every secret is compared. */
function matchesAnySecret(presented: string | undefined, secrets: readonly string[]): boolean {
  return presented !== undefined && new SecretSet(secrets).matchesAny([presented]);
}

function hexToBytes(hex: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex)) return undefined;
  return Uint8Array.from(hex.match(/../g) as string[], (pair) => Number.parseInt(pair, 16));
}

async function matchesAnyHmac(presentedHex: string | undefined, body: Uint8Array, secrets: readonly string[]): Promise<boolean> {
  const presented = presentedHex === undefined ? undefined : hexToBytes(presentedHex.trim());
  if (!presented) return false;
  const expected = await Promise.all(secrets.map(async (secret) => hmacSha256(await importHmacKey(secret), body)));
  return SecretSet.anyEqual([presented], expected);
}

const list = (value: string | readonly string[]): readonly string[] => (typeof value === 'string' ? [value] : value);

/** Harbor sends the policy target's `auth_header` verbatim as `Authorization`; `expected` is that value (several during rotation). */
export function matchesHarborAuthHeader(headers: HeadersLike, expected: string | readonly string[]): boolean {
  return matchesAnySecret(headerValue(headers, 'authorization'), list(expected));
}

/** `matchesHarborAuthHeader`, as a promise like the signature checks. */
export async function verifyHarborAuthHeader(headers: HeadersLike, expected: string | readonly string[]): Promise<boolean> {
  return matchesHarborAuthHeader(headers, expected);
}

/** ACR and GitLab send configured headers verbatim: every `required` header must carry its value (or one of its values). */
export function matchesStaticHeaders(headers: HeadersLike, required: Record<string, string | readonly string[]>): boolean {
  const entries = Object.entries(required);
  if (entries.length === 0) return false;
  // every header is compared, so the time does not tell which one failed
  return entries.map(([name, values]) => matchesAnySecret(headerValue(headers, name), list(values))).every(Boolean);
}

/** `matchesStaticHeaders`, as a promise like the signature checks. */
export async function verifyStaticHeaders(headers: HeadersLike, required: Record<string, string | readonly string[]>): Promise<boolean> {
  return matchesStaticHeaders(headers, required);
}

/** The header GitHub's signature comes in, and JFrog's secret or signature: a receiver can refuse a delivery without it before reading the body. */
export const GITHUB_SIGNATURE_HEADER = 'x-hub-signature-256';
export const JFROG_EVENT_AUTH_HEADER = 'x-jfrog-event-auth';

/** GitHub (GHCR `package` events): `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`. */
export async function verifyGitHubSignature(body: string | Uint8Array | ArrayBuffer, headers: HeadersLike, secret: string | readonly string[]): Promise<boolean> {
  const signature = headerValue(headers, GITHUB_SIGNATURE_HEADER);
  if (!signature?.startsWith('sha256=')) return false;
  return matchesAnyHmac(signature.slice('sha256='.length), bytesOf(body), list(secret));
}

export type JFrogAuthMode = 'secret' | 'hmac' | 'either';

/**
 * JFrog Artifactory: `X-JFrog-Event-Auth` carries the webhook secret itself, or (with "use
 * secret for signing") the hex HMAC-SHA256 of the body keyed by it. `mode` says which to accept.
 */
export async function verifyJFrogEventAuth(body: string | Uint8Array | ArrayBuffer, headers: HeadersLike, secret: string | readonly string[], mode: JFrogAuthMode = 'either'): Promise<boolean> {
  const presented = headerValue(headers, JFROG_EVENT_AUTH_HEADER);
  const [asSecret, asHmac] = await Promise.all([mode === 'hmac' ? false : matchesAnySecret(presented, list(secret)), mode === 'secret' ? false : matchesAnyHmac(presented, bytesOf(body), list(secret))]);
  return asSecret || asHmac;
}
