import type { Event } from '@regevents/types';
import type { NotifierEndpoint } from './notifier.js';

// Interim shape until @regevents/config lands; replaced by its NotificationsConfig and shouldDeliver.
export interface EndpointConfig {
  name: string;
  disabled: boolean;
  url: string;
  headers: Record<string, string[]>;
  timeoutMs: number;
  threshold: number;
  backoffMs: number;
  ignore: { mediaTypes: string[]; actions: string[] };
}
export interface NotificationsConfig {
  events: { includeReferences: boolean };
  endpoints: EndpointConfig[];
}

function accepts(endpoint: EndpointConfig, event: Event): boolean {
  const mediaType = (event.target as { mediaType?: string }).mediaType ?? '';
  return !endpoint.ignore.mediaTypes.includes(mediaType) && !endpoint.ignore.actions.includes(event.action);
}

/** The enabled endpoints of a notifications config, ready for the notifier. */
export function notifierEndpoints(config: NotificationsConfig): NotifierEndpoint[] {
  return config.endpoints
    .filter((endpoint) => !endpoint.disabled)
    .map((endpoint) => ({
      ...endpoint,
      debugConfig: {
        Headers: endpoint.headers,
        Timeout: endpoint.timeoutMs * 1_000_000,
        Threshold: endpoint.threshold,
        Backoff: endpoint.backoffMs * 1_000_000,
        IgnoredMediaTypes: null,
        Ignore: { MediaTypes: endpoint.ignore.mediaTypes.length ? endpoint.ignore.mediaTypes : null, Actions: endpoint.ignore.actions.length ? endpoint.ignore.actions : null },
      },
      accepts: (event: Event) => accepts(endpoint, event),
    }));
}
