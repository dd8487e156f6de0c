/** What `auth` takes: types only, so the checks of distribution senders (`auth.ts`) and of vendors (`senders.ts`) both read them without importing each other. */
import type { JFrogAuthMode, PubSubPushAuthOptions } from '@regevents/formats';
import type { IpAllowlistOptions } from './ip-allowlist.js';
import type { StandardWebhooksOptions } from './standard-webhooks.js';

type Secrets = string | readonly string[];

/** Headers the registry sends verbatim on every delivery; each must carry its value (or one of its values, during a rotation). */
export interface StaticHeadersAuth {
  headers: Record<string, Secrets>;
}

/** Explicitly accept a sender that cannot authenticate (Docker Hub, Quay): protect the URL some other way. */
export interface UnauthenticatedSender {
  unauthenticated: true;
}

/** Credentials per registry vendor; each format listed in `formats` needs its vendor's entry. */
export interface VendorAuthOptions {
  /** Harbor (Default and CloudEvents payloads): the policy target's `auth_header`, which Harbor sends verbatim as `Authorization`. */
  harbor?: { authHeader: Secrets };
  /** GitLab's container registry: the `headers` of its notification endpoint. */
  gitlab?: StaticHeadersAuth;
  /** Azure Container Registry: the webhook's custom headers. */
  acr?: StaticHeadersAuth;
  /** GitHub (GHCR `package` events): the webhook secret, checked against `X-Hub-Signature-256`. */
  ghcr?: { secret: Secrets };
  /** JFrog Artifactory: the webhook secret, sent in `X-JFrog-Event-Auth` as is (`secret`) or as the body's HMAC (`hmac`). Default mode `either`. */
  artifactory?: { secret: Secrets; mode?: JFrogAuthMode };
  /** Docker Hub sends no credentials of its own. */
  dockerhub?: StaticHeadersAuth | UnauthenticatedSender;
  /** Quay sends no credentials of its own. */
  quay?: StaticHeadersAuth | UnauthenticatedSender;
  /**
   * Google Artifact Registry through a Pub/Sub push subscription: `pubsub` checks the OIDC token
   * an authenticated push subscription sends (audience and service account); static headers suit
   * a relay in between.
   */
  gar?: { pubsub: PubSubPushAuthOptions } | StaticHeadersAuth | UnauthenticatedSender;
  /** Amazon ECR through an EventBridge API destination (its connection sends an API key header). */
  ecr?: StaticHeadersAuth | UnauthenticatedSender;
}

export type Vendor = keyof VendorAuthOptions;

export interface BasicCredentials {
  username: string;
  password: string;
}

export interface StaticHeaderOptions {
  /** Header name, any case: `X-Registry-Token`. */
  name: string;
  /** Accepted values; several during a rotation. */
  value: string | readonly string[];
}

/**
 * How deliveries prove who sent them. The top-level strategies authenticate distribution
 * envelopes: every one you configure must pass; list several values inside one strategy to
 * accept old and new credentials during a rotation. With `formats`, each other vendor has its
 * own entry (`harbor`, `ghcr`...), checked only for bodies in that vendor's format.
 */
export interface AuthOptions extends VendorAuthOptions {
  /** `Authorization: Bearer <token>`: what a registry sends with `headers: {Authorization: [Bearer <token>]}`. */
  bearer?: string | readonly string[];
  /** `Authorization: Basic base64(user:password)`. */
  basic?: BasicCredentials | readonly BasicCredentials[];
  /** A custom header carrying a shared secret (as Azure Container Registry sends). */
  header?: StaticHeaderOptions;
  /** Standard Webhooks signatures, for relays that sign what they forward. */
  standardWebhooks?: StandardWebhooksOptions;
  /** Source-address allowlist. */
  ip?: IpAllowlistOptions;
  /** Accept deliveries nobody authenticated. Only for a receiver that something else already protects. */
  unauthenticated?: true;
}
