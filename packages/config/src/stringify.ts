import { Document } from 'yaml';
import { formatGoDuration } from './go-duration.js';
import type { EndpointConfig, NotificationsConfig } from './types.js';

const MAX_INT64 = (1n << 63n) - 1n;

/**
 * Milliseconds back to a Go duration string. Sub-nanosecond float noise is rounded off; near the
 * int64 limit (292 years) a float's rounding can step past it, so the value is clamped.
 */
function duration(ms: number): string {
  const ns = BigInt(Math.round(ms * 1e6));
  return formatGoDuration(ns > MAX_INT64 ? MAX_INT64 : ns < -MAX_INT64 - 1n ? -MAX_INT64 - 1n : ns);
}

function endpointYaml(endpoint: EndpointConfig): Record<string, unknown> {
  const yaml: Record<string, unknown> = {
    name: endpoint.name,
    disabled: endpoint.disabled,
    url: endpoint.url,
  };
  if (Object.keys(endpoint.headers).length > 0) yaml.headers = endpoint.headers;
  yaml.timeout = duration(endpoint.timeoutMs);
  yaml.threshold = endpoint.threshold;
  yaml.backoff = duration(endpoint.backoffMs);
  const { mediaTypes, actions } = endpoint.ignore;
  const ignore: Record<string, string[]> = {};
  if (mediaTypes.length > 0) ignore.mediatypes = mediaTypes;
  if (actions.length > 0) ignore.actions = actions;
  if (Object.keys(ignore).length > 0) yaml.ignore = ignore;
  return yaml;
}

/**
 * The `notifications:` block as config.yml text the registry reads with the same meaning:
 * durations carry units (`500ms`, never a bare number of nanoseconds), media types go under
 * `ignore.mediatypes`, and strings YAML 1.1 would read as booleans or numbers are quoted.
 * Append it to a config.yml that has no `notifications:` section of its own.
 */
export function stringifyNotificationsConfig(notifications: NotificationsConfig): string {
  const doc = new Document(
    {
      notifications: {
        events: { includereferences: notifications.events.includeReferences },
        endpoints: notifications.endpoints.map(endpointYaml),
      },
    },
    { version: '1.1' },
  );
  return doc.toString({ lineWidth: 0 });
}
