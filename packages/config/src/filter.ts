import type { Event } from '@regevents/types';
import type { EndpointConfig, RegistryVersion } from './types.js';
import { actionsFilterNeedsMediaTypes, DEFAULT_VERSION } from './versions.js';

export interface ShouldDeliverOptions {
  /** Default `'2.8'`. */
  version?: RegistryVersion;
}

type FilterableEndpoint = Pick<EndpointConfig, 'disabled' | 'ignore'>;
type FilterableEvent = Pick<Event, 'action'> & { target: { mediaType?: string } };

/**
 * Whether the registry sends `event` to `endpoint`: disabled endpoints get nothing; an event is
 * dropped when its target media type is ignored (exact match; 2.x tag deletes have none, which Go
 * sees as "") or its action is ignored, except that before 3.1 ignored actions only count when
 * at least one media type is ignored too.
 */
export function shouldDeliver(endpoint: FilterableEndpoint, event: FilterableEvent, options: ShouldDeliverOptions = {}): boolean {
  if (endpoint.disabled) return false;
  const { mediaTypes, actions } = endpoint.ignore;
  if (mediaTypes.length === 0 && (actions.length === 0 || actionsFilterNeedsMediaTypes(options.version ?? DEFAULT_VERSION))) return true;
  return !mediaTypes.includes(event.target.mediaType ?? '') && !actions.includes(event.action);
}
