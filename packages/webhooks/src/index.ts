export { createWebhookHandler, ACCEPTED_CONTENT_TYPES, DEFAULT_MAX_BODY_BYTES } from './handler.js';
export type {
  AnyEventHandler,
  DedupeOptions,
  DeliveryInfo,
  ErrorContext,
  ErrorHandler,
  EventContext,
  EventHandler,
  InvalidContext,
  InvalidHandler,
  InvalidPayload,
  UnknownEventHandler,
  WebhookHandler,
  WebhookHandlerOptions,
} from './handler.js';
export type { ConnectionInfo, NodeRequestLike, NodeResponseLike } from './adapters.js';
export type { AuthOptions, BasicCredentials, StaticHeaderOptions } from './auth.js';
export type { IpAllowlistOptions } from './ip-allowlist.js';
export { EVENT_KEYS, digestDeleteKind, eventKey, isKnownEvent, type EventKey, type EventsByKey, type UnknownEvent } from './dispatch.js';
export { createMemoryDedupeStore, type ClaimResult, type DedupeStore, type MemoryDedupeStoreOptions } from './dedupe.js';
export { createRedisDedupeStore, type IoRedisLike, type NodeRedisLike, type RedisDedupeStoreOptions } from './redis-store.js';
export {
  createStandardWebhooksVerifier,
  generateTestHeaders,
  signPayload,
  type SignPayloadInput,
  type StandardWebhooksHeaders,
  type StandardWebhooksOptions,
  type TestHeadersInput,
  type WebhookSecret,
} from './standard-webhooks.js';
export { BodyTooLargeError, HandlerFailedError, RawBodyUnavailableError, WebhookConfigError } from './errors.js';
