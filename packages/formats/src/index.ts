export { detectFormat } from './detect.js';
export { normalize, harborPayloadFromCloudEvent, type NormalizeOptions } from './normalize.js';
export { distributionKindOf, normalizeDistributionEvent } from './normalizers/distribution.js';
export { derivedId, canonicalJson } from './derived-id.js';
export { identifiesOccurrence } from './occurrence.js';
export { InvalidCloudEventError, InvalidPayloadError, NestingTooDeepError, RegEventsFormatError, UnrecognizedFormatError, UnsupportedFilterError, type FormatIssue } from './errors.js';
export { FORMAT_IDS, NORMALIZED_KINDS, REGISTRY_KINDS, type FormatId, type NormalizedKind, type NormalizedRegistryEvent, type RegistryKind } from './model.js';
export type { HeadersLike } from './headers.js';
export {
  CLOUDEVENT_TYPE_PREFIX,
  DISTRIBUTION_EVENT_SCHEMA,
  NORMALIZED_EVENT_SCHEMA,
  assertCloudEvent,
  fromCloudEvent,
  fromHttp,
  toCloudEvent,
  toHttpBatch,
  toHttpBinary,
  toHttpStructured,
  type CloudEvent,
  type HttpMessage,
} from './cloudevents.js';
export { eventCatalog, toKnativeEventTypes, type CatalogEntry, type KnativeEventTypeOptions, type KnativeReference } from './catalog.js';
export { normalizedEventSchema } from './normalized-schema.js';
export type { NormalizedEventData } from '@regevents/types';
export { CESQL_LIMITS, CesqlParseError, evaluateCesql, parseCesql, type CesqlErrorKind, type CesqlEvaluationError, type CesqlEvent, type CesqlResult, type CesqlType, type CesqlValue, type CompiledCesql } from './cesql/index.js';
export { matchesTriggerFilter, type SubscriptionsAPIFilter, type TriggerFilterSpec, type TriggerLike } from './trigger-filter.js';
export { decodeBase64, encodeBase64, hmacSha256, importHmacKey, SecretSet, timingSafeEqual } from './secrets.js';
export { createPubSubPushVerifier, GOOGLE_OIDC_JWKS_URL, type PubSubPushAuthOptions, type PubSubPushVerifier } from './pubsub-auth.js';
export { GITHUB_SIGNATURE_HEADER, JFROG_EVENT_AUTH_HEADER, matchesHarborAuthHeader, matchesStaticHeaders, verifyGitHubSignature, verifyHarborAuthHeader, verifyJFrogEventAuth, verifyStaticHeaders, type JFrogAuthMode } from './auth.js';
