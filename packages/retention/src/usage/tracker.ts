import type { Consumer } from '@regevents/relay';
import type { DigestDeleteEvent, Event, ManifestPullEvent, ManifestPushEvent, TagDeleteEvent } from '@regevents/types';
import { eventKey } from '@regevents/webhooks';
import type { UsageStore } from './model.js';

/** The project's own tools (registry client, replication, reconciliation, retention) send User-Agents that start with this. */
export const OWN_USER_AGENT_PREFIX = 'regevents';

export interface UsageTrackerOptions {
  store: UsageStore;
  /**
   * Pulls whose User-Agent starts with one of these (case-insensitively) are not counted: mirrors,
   * scanners, your own reconcilers. The project's own tools (`regevents…`) are always left out.
   */
  ignoreUserAgents?: readonly string[];
  /** When an event happened, in epoch ms. Default: its `timestamp`. Tests pass a simulated clock. */
  timeOf?: (event: Event) => number;
}

export interface UsageTracker {
  /** Records one event; blob events and ignored pulls are no-ops. */
  record(event: Event): Promise<void>;
  /** Registers the tracker's handlers on a relay consumer (call before `start()`). */
  attach(consumer: Consumer): Consumer;
  /** Whether a pull with this User-Agent is left out of the statistics. */
  ignores(userAgent: string | undefined): boolean;
}

/**
 * Usage from events: the last push of each tag and manifest, the last pull and the number of pulls,
 * leaving out the project's own reads (each tool marks them by User-Agent).
 */
export function createUsageTracker(options: UsageTrackerOptions): UsageTracker {
  const { store } = options;
  const prefixes = [OWN_USER_AGENT_PREFIX, ...(options.ignoreUserAgents ?? [])].map((prefix) => prefix.toLowerCase());
  const timeOf = options.timeOf ?? ((event: Event) => Date.parse(event.timestamp));
  const ignores = (userAgent: string | undefined) => prefixes.some((prefix) => (userAgent ?? '').toLowerCase().startsWith(prefix));

  const onPush = (event: ManifestPushEvent) => {
    const { repository, digest, tag, mediaType, size, references } = event.target;
    return store.recordPush(repository, {
      digest,
      tag,
      at: timeOf(event),
      mediaType,
      size,
      references,
    });
  };
  const onPull = async (event: ManifestPullEvent) => {
    if (ignores(event.request.useragent)) return;
    const { repository, digest, tag } = event.target;
    await store.recordPull(repository, { digest, tag, at: timeOf(event) });
  };
  const onManifestDelete = (event: DigestDeleteEvent) =>
    store.recordDelete(event.target.repository, {
      digest: event.target.digest,
    });
  const onTagDelete = (event: TagDeleteEvent) => store.recordDelete(event.target.repository, { tag: event.target.tag });

  return {
    async record(event) {
      switch (eventKey(event)) {
        case 'push:manifest':
          return onPush(event as ManifestPushEvent);
        case 'pull:manifest':
          return onPull(event as ManifestPullEvent);
        case 'delete:manifest':
          return onManifestDelete(event as DigestDeleteEvent);
        case 'delete:tag':
          return onTagDelete(event as TagDeleteEvent);
        default:
          return;
      }
    },
    attach(consumer) {
      return consumer.on('push:manifest', onPush).on('pull:manifest', onPull).on('delete:manifest', onManifestDelete).on('delete:tag', onTagDelete);
    },
    ignores,
  };
}
