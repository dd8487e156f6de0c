import { Registry } from 'prom-client';
import type { ConsumerCounters } from './loop-types.js';
import type { GroupStats } from './log.js';
import type { Relay, RelayMetrics } from './relay.js';

export { createRelayUi, type RelayUi, type RelayUiOptions, type RelayUiSnapshot } from './ui.js';
export type { PanelCell, PanelColumn, PanelView, UiPanel } from './ui-panels.js';
export type { EventSummary } from './ui-feed.js';
export type { SseStats } from './sse.js';

export interface PrometheusOptions {
  /** Add the relay's metrics to this registry (with your default metrics, say). Default: a new one. */
  registry?: Registry;
  /** Default `regevents_relay_`. */
  prefix?: string;
}

type Sample = { metricName?: string; labels: Record<string, string | number>; value: number };
type Family = { name: string; help: string; type: 'counter' | 'gauge' | 'histogram'; samples: (metrics: RelayMetrics) => Sample[] };

const GROUP_GAUGES: [keyof GroupStats, string, string][] = [
  ['lag', 'group_lag', 'Events in the log no consumer of the group has taken yet'],
  ['pending', 'group_pending', 'Events taken by a consumer of the group and not acknowledged yet'],
  ['deadLetters', 'group_dead_letters', "Events in the group's dead letters"],
];

const CONSUMER_COUNTERS: [keyof ConsumerCounters, string, string][] = [
  ['handled', 'consumer_handled_total', "Events this process's consumers handled"],
  ['failed', 'consumer_failed_total', "Failed attempts in this process's consumers"],
  ['redeliveries', 'consumer_redeliveries_total', 'Events run again: retries, and events taken over from a consumer that died'],
  ['deadLettered', 'consumer_dead_lettered_total', 'Events this process sent to dead letters'],
  ['duplicates', 'consumer_duplicates_total', 'Deliveries of events the group had already handled'],
];

function families(prefix: string): Family[] {
  const perGroup = (key: keyof (GroupStats & ConsumerCounters)) => (metrics: RelayMetrics) => Object.entries(metrics.groups).map(([group, values]) => ({ labels: { group }, value: values[key] }));
  return [
    {
      name: `${prefix}appends_total`,
      help: 'Events the receiver took, by result: appended, duplicate (already in the log) or failed (answered 503)',
      type: 'counter',
      samples: ({ appends }) => [
        { labels: { result: 'appended' }, value: appends.appended },
        { labels: { result: 'duplicate' }, value: appends.duplicates },
        { labels: { result: 'failed' }, value: appends.failed },
      ],
    },
    {
      name: `${prefix}append_duration_seconds`,
      help: 'Time from receiving an event to the log confirming its append',
      type: 'histogram',
      samples: ({ appends: { latency } }) => [
        ...latency.buckets.map(({ le, count }) => ({ metricName: `${prefix}append_duration_seconds_bucket`, labels: { le: Number.isFinite(le) ? le : '+Inf' }, value: count })),
        { metricName: `${prefix}append_duration_seconds_sum`, labels: {}, value: latency.sumSeconds },
        { metricName: `${prefix}append_duration_seconds_count`, labels: {}, value: latency.count },
      ],
    },
    ...GROUP_GAUGES.map(([key, name, help]): Family => ({ name: `${prefix}${name}`, help, type: 'gauge', samples: perGroup(key) })),
    ...CONSUMER_COUNTERS.map(([key, name, help]): Family => ({ name: `${prefix}${name}`, help, type: 'counter', samples: perGroup(key) })),
  ];
}

/**
 * The relay's metrics in a prom-client registry, read from `relay.metrics()` once per scrape:
 * `res.end(await registry.metrics())` with `registry.contentType`.
 */
export function prometheusRegistry(relay: Relay, options: PrometheusOptions = {}): Registry {
  const registry = options.registry ?? new Registry();
  let snapshot: Promise<RelayMetrics> | undefined;
  // every family of one scrape reads the same snapshot
  const read = () => {
    snapshot ??= relay.metrics().finally(() => setTimeout(() => (snapshot = undefined), 0));
    return snapshot;
  };
  for (const family of families(options.prefix ?? 'regevents_relay_')) {
    registry.registerMetric({
      name: family.name,
      help: family.help,
      type: family.type,
      aggregator: 'sum',
      get: async () => ({ name: family.name, help: family.help, type: family.type, aggregator: 'sum', values: family.samples(await read()) }),
      reset: () => undefined,
    } as unknown as Parameters<Registry['registerMetric']>[0]);
  }
  return registry;
}
