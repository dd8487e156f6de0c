import { shouldDeliver, type EndpointConfig, type NotificationsConfig, type RegistryVersion } from '@regevents/config';
import type { Event } from '@regevents/types';
import type { NotifierEndpoint } from './notifier.js';


/** What `/debug/vars` shows instead of a header value unless asked to show them (they carry tokens). */
export const REDACTED = '<redacted>';

function redacted(headers: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(headers).map(([name, values]) => [name, values.map(() => REDACTED)]));
}

/** `/debug/vars` shows each endpoint's Go struct: durations as integer nanoseconds, empty lists as null. */
function debugConfig(endpoint: EndpointConfig, showHeaders: boolean): Record<string, unknown> {
  const orNull = (list: string[]) => (list.length > 0 ? list : null);
  return {
    Headers: showHeaders ? endpoint.headers : redacted(endpoint.headers),
    Timeout: Math.round(endpoint.timeoutMs * 1_000_000),
    Threshold: endpoint.threshold,
    Backoff: Math.round(endpoint.backoffMs * 1_000_000),
    IgnoredMediaTypes: null,
    Ignore: { MediaTypes: orNull(endpoint.ignore.mediaTypes), Actions: orNull(endpoint.ignore.actions) },
  };
}

/** The enabled endpoints of a notifications config, ready for the notifier. */
/** `version` is the config package's version for the flavor: its filters carry the release's bugs (2.8 ignores actions-only filters). */
export function notifierEndpoints(config: NotificationsConfig, version: RegistryVersion): NotifierEndpoint[] {
  return config.endpoints
    .filter((endpoint) => !endpoint.disabled)
    .map((endpoint) => ({
      ...endpoint,
      debugConfig: (showHeaders: boolean) => debugConfig(endpoint, showHeaders),
      accepts: (event: Event) => shouldDeliver(endpoint, event, { version }),
    }));
}
