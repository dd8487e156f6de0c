import type { RegistryVersion } from './types.js';

export const DEFAULT_VERSION: RegistryVersion = '2.8';

/**
 * Before 3.1.0 the registry only installs its filter when some media type is ignored, so
 * `ignore.actions` alone does nothing (distribution notifications/sinks.go, fixed in 3.1.0).
 */
export function actionsFilterNeedsMediaTypes(version: RegistryVersion): boolean {
  return version === '2.8' || version === '3.0';
}

/** 3.x can address list items in environment variables (`..._ENDPOINTS_0_URL`); 2.x cannot. */
export function envIndexesLists(version: RegistryVersion): boolean {
  return version !== '2.8';
}
