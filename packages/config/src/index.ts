export { parseRegistryConfig, DEFAULT_MAX_BYTES } from './parse.js';
export { shouldDeliver, type ShouldDeliverOptions } from './filter.js';
export { stringifyNotificationsConfig } from './stringify.js';
export {
  parseGoDuration,
  formatGoDuration,
  GoDurationError,
  NANOSECOND,
  MICROSECOND,
  MILLISECOND,
  SECOND,
  MINUTE,
  HOUR,
} from './go-duration.js';
export { DIAGNOSTIC_SEVERITY } from './diagnostics.js';
export { ENDPOINT_DEFAULTS } from './endpoints.js';
export type * from './types.js';
export { IpRanges, IpRangeError, forwardedClient, isTrustedProxy, parseIpAddress, type IpAddress } from './ip-ranges.js';
export {
  checkArtifactSelector,
  checkTagSelector,
  compileArtifactSelector,
  SelectorError,
  type ArtifactMatcher,
  type ArtifactSelector,
  type TagSelector,
} from './matchers.js';
export { formatPolicyPath, PolicyChecker, readPolicyYaml, type Locate, type PolicyDiagnostic, type PolicyPath, type PolicyYaml } from './policy-document.js';
