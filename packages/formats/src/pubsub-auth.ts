/**
 * Google Cloud Pub/Sub push authentication (how Artifact Registry events reach an HTTP endpoint).
 * An authenticated push subscription sends `Authorization: Bearer <JWT>`, an OpenID Connect token
 * Google signs for the subscription's service account. The audience alone proves little: anyone
 * can create a push subscription aimed at your URL with your URL as its audience, signed for
 * their own service account. So the token's `email` must be the service account you configured,
 * and Google must have verified it.
 */
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { headerValue, type HeadersLike } from './headers.js';

/** Where Google publishes the keys that sign its OpenID Connect tokens. */
export const GOOGLE_OIDC_JWKS_URL = 'https://www.googleapis.com/oauth2/v3/certs';

const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

export interface PubSubPushAuthOptions {
  /** The push subscription's audience (by default Google uses the push endpoint's URL). */
  audience: string | readonly string[];
  /** The service account the push subscription authenticates as (several during a rotation). */
  serviceAccountEmail: string | readonly string[];
  /**
   * Google's signing keys: by default fetched from {@link GOOGLE_OIDC_JWKS_URL} and cached (a
   * token with an unknown key id refetches them, at most every 30 s). A key set or another URL
   * here is for tests, proxies and air-gapped receivers.
   */
  keys?: JSONWebKeySet | URL;
  /** Accepted clock skew for `exp`, `iat` and `nbf`, in seconds. Default 30. */
  clockToleranceSeconds?: number;
}

/** Checks the push request's headers; create it once per receiver so the fetched keys are reused. */
export type PubSubPushVerifier = (headers: HeadersLike) => Promise<boolean>;

const asList = (value: string | readonly string[]): string[] => (typeof value === 'string' ? [value] : [...value]);

function keySource(keys: PubSubPushAuthOptions['keys']): JWTVerifyGetKey {
  if (keys === undefined) return createRemoteJWKSet(new URL(GOOGLE_OIDC_JWKS_URL));
  return keys instanceof URL ? createRemoteJWKSet(keys) : createLocalJWKSet(keys);
}

/**
 * A verifier that passes only a Google-signed RS256 token, unexpired, for one of `audience`,
 * whose verified `email` is one of `serviceAccountEmail`. Any failure, including keys that
 * cannot be fetched, is `false`, never a throw.
 */
export function createPubSubPushVerifier(options: PubSubPushAuthOptions): PubSubPushVerifier {
  const audience = asList(options.audience);
  const emails = new Set(asList(options.serviceAccountEmail).map((email) => email.toLowerCase()));
  if (audience.length === 0 || emails.size === 0) throw new TypeError('createPubSubPushVerifier needs an audience and a serviceAccountEmail');
  const getKey = keySource(options.keys);
  const clockTolerance = options.clockToleranceSeconds ?? 30;
  return async (headers) => {
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(headerValue(headers, 'authorization') ?? '');
    if (!match?.[1]) return false;
    try {
      const { payload } = await jwtVerify(match[1], getKey, { issuer: GOOGLE_ISSUERS, audience, algorithms: ['RS256'], clockTolerance, requiredClaims: ['exp', 'iat', 'email'] });
      return payload['email_verified'] === true && typeof payload['email'] === 'string' && emails.has(payload['email'].toLowerCase());
    } catch {
      return false;
    }
  };
}
