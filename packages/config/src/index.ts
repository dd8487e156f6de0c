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
