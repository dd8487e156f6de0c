export { createWebhookHandler, ACCEPTED_CONTENT_TYPES, DEFAULT_MAX_BODY_BYTES } from './handler.js';
export type { InvalidContext, InvalidHandler, InvalidPayload, WebhookHandler, WebhookHandlerOptions } from './handler.js';
export { createEventHandler } from './event-handler/index.js';
export type {
  AnyEventHandler,
  DedupeOptions,
  DeliveryInfo,
  DispatchContext,
  DispatchedEvent,
  DispatchKey,
  ErrorContext,
  ErrorHandler,
  EventContext,
  EventHandler,
  EventHandlerOptions,
  EventReceiver,
  HandlerRegistration,
  NormalizedEventContext,
  NormalizedEventOf,
  ReceiveResult,
  UnknownEventHandler,
} from './event-handler/types.js';
export type { ConnectionInfo, NodeRequestLike, NodeResponseLike } from './adapters.js';
export type { AuthOptions, BasicCredentials, StaticHeaderOptions, StaticHeadersAuth, UnauthenticatedSender, Vendor, VendorAuthOptions } from './auth-options.js';
export { SENDER_FORMATS } from './senders.js';
export { FORMAT_IDS, NORMALIZED_KINDS, type FormatId, type NormalizedKind, type NormalizedRegistryEvent } from '@regevents/formats';
export type { IpAllowlistOptions } from './ip-allowlist.js';
export { EVENT_KEYS, digestDeleteKind, eventKey, isKnownEvent, type EventKey, type EventsByKey, type UnknownEvent } from './dispatch.js';
export { createMemoryDedupeStore, type ClaimResult, type DedupeStore, type MemoryDedupeStoreOptions } from './dedupe.js';
export { createRedisDedupeStore, redisCommandOf, type IoRedisLike, type NodeRedisLike, type RedisCommand, type RedisDedupeStoreOptions } from './redis-store.js';
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
