export { createRegistryClient, DEFAULT_USER_AGENT, type RegistryClient, type RegistryClientOptions } from './client.js';
export type { BasicCredentials, RegistryAuth, StaticToken } from './auth.js';
export type { BlobInfo, BlobStream, GetBlobOptions } from './blobs.js';
export type { CallOptions, Limits } from './context.js';
export type { CopyOptions, CopyProgress, CopyResult, CopySource, CopyTarget } from './copy.js';
export { digestOf, portableSha256, type HashFactory, type IncrementalHash } from './digest.js';
export {
  AuthenticationError,
  ConnectionError,
  IntegrityError,
  InvalidReferenceError,
  LimitError,
  ManifestError,
  RegistryClientError,
  RegistryError,
  TimeoutError,
  UnsupportedError,
  type RegistryErrorEntry,
} from './errors.js';
export { ACCEPTED_MANIFEST_TYPES, isIndex, type GetManifestOptions, type Manifest, type ManifestContent, type ManifestJson } from './manifests.js';
export { nextLink, type ListOptions } from './paging.js';
export type { PingResult } from './ping.js';
export { referrersTag, type ReferrersOptions } from './referrers.js';
export { DOCKER_HUB } from './docker-hub.js';
export {
  formatReference,
  isDigest,
  isRepositoryName,
  isTag,
  manifestReference,
  parseReference,
  type ImageReference,
  type ParseReferenceOptions,
} from './reference.js';
export { formatScope, parseScopes, type Scope } from './scope.js';
export { parseChallenges, type Challenge } from './challenge.js';
export type { RetryOptions } from './transport.js';
export type { BlobSource, LazyBlobSource, PushBlobOptions, PushBlobResult } from './upload.js';
export { collectTags } from './tags.js';
export { forEachConcurrent } from './pool.js';
export { readAtMost } from './body.js';
export { sleep } from './sleep.js';
