export { createMockRegistry, MockRegistryConfigError, type DebugVars, type MockRegistry, type MockRegistryOptions } from './registry.js';
export type { AccessRule, AuthOptions, BasicAuthOptions, BearerAuthOptions, RepositoryAction } from './access.js';
export { createInstantClock, systemClock, type Clock } from './clock.js';
export { sequentialIds, uuidV4, uuidV7Generator, type IdGenerator } from './ids.js';
export { FLAVORS, type Flavor, type FlavorBehaviour } from './flavors.js';
export type { DeliveryAttempt, EndpointDelivery, EndpointMetrics } from './delivery.js';
export type { RecordedEvent, RegistryObserver, WaitOptions } from './notifier.js';
export type { DeliveryFault, RegistryFault, RequestMatch } from './faults.js';
export { MemoryStorage, type StorageDriver } from './storage.js';
export { RegistryState } from './handlers/state.js';
export { ByteCappedStorage, StorageFullError } from './storage-cap.js';
export { ERROR_CODES, RegistryError, type RegistryErrorCode } from './errors.js';
export { imageScenarios, type ImageScenarios, type PulledImage } from './scenarios.js';
export {
  blobsOf,
  content,
  createImage,
  createLayer,
  descriptorOf,
  pseudoRandomBytes,
  type BuiltImage,
  type Content,
  type Image,
  type ImageFormat,
  type ImageIndex,
  type ImageOptions,
  type LayerSpec,
} from './images.js';
export { digestOf, portableSha256, type HashFactory, type IncrementalHash } from './digest.js';
