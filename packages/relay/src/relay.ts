import type { ConnectionInfo, ErrorHandler, NodeRequestLike, NodeResponseLike } from '@regevents/webhooks';
import type { ConsumerOptions } from './consumer-settings.js';
import type { ConsumerCounters } from './loop-types.js';
import { createConsumer, type Consumer } from './consumer.js';
import { deadLettersOf, type DeadLetters } from './dead-letters.js';
import { RelayConfigError } from './errors.js';
import type { GroupStats, RelayLog } from './log.js';
import { createMemoryLog } from './memory-log.js';
import { createReceiver, type AppendStats, type ReceiverOptions } from './receiver.js';
import type { LogEntry } from './record.js';
import { replay, type ReplayOptions } from './replay.js';

export type RelayOptions = ReceiverOptions & {
  /** Where accepted events go. Default `createMemoryLog()`: one process, nothing survives it. */
  log?: RelayLog;
};

export type GroupMetrics = GroupStats & ConsumerCounters;

export interface RelayMetrics {
  /** The receiver's appends in this process. */
  appends: AppendStats;
  /** Every group of the log: lag, pending and dead letters from the log; the counters of this process's consumers. */
  groups: Record<string, GroupMetrics>;
}

export interface Relay {
  /** Web-standard entry for the registry's notifications: appends each accepted event, then answers. */
  fetch(request: Request, connection?: ConnectionInfo): Promise<Response>;
  /** node:http entry, also for Express and Fastify (`request.raw`, `reply.raw`). */
  node(req: NodeRequestLike, res: NodeResponseLike): Promise<void>;
  readonly log: RelayLog;
  /** A member of consumer group `group`; start as many as you like, in as many processes. */
  consumer(group: string, options?: ConsumerOptions): Consumer;
  /** The events of the log between two points, oldest first. */
  replay(options: ReplayOptions): AsyncGenerator<LogEntry>;
  deadLetters(group: string): DeadLetters;
  metrics(): Promise<RelayMetrics>;
  /** Runs for receiver errors (an append that failed or came late answers 503 and reports here). Default: console.error. */
  onError(handler: ErrorHandler): Relay;
}

const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function checkGroup(group: string): void {
  if (typeof group !== 'string' || !GROUP_NAME.test(group)) throw new RelayConfigError(`a group name is 1-128 letters, digits, ".", "_" or "-" (got ${JSON.stringify(group)})`);
}

function emptyCounters(): ConsumerCounters {
  return { handled: 0, failed: 0, redeliveries: 0, deadLettered: 0, duplicates: 0 };
}

/**
 * The registry's endpoint and the log behind it: `fetch`/`node` acknowledge an event once the log
 * holds it; consumers read the log at their own pace, in groups.
 */
export function createRelay(options: RelayOptions): Relay {
  if (!options || typeof options !== 'object') throw new RelayConfigError('createRelay needs options: { log, auth: { bearer: token } }');
  const log = options.log ?? createMemoryLog();
  const receiver = createReceiver(log, options);
  const consumers = new Map<string, ConsumerCounters[]>();

  async function metrics(): Promise<RelayMetrics> {
    const groups: Record<string, GroupMetrics> = {};
    for (const group of new Set([...(await log.groups()), ...consumers.keys()])) {
      const totals = emptyCounters();
      for (const counters of consumers.get(group) ?? []) for (const key of Object.keys(totals) as (keyof ConsumerCounters)[]) totals[key] += counters[key];
      const stats = await log.groupStats(group).catch(() => ({ lag: 0, pending: 0, deadLetters: 0 }));
      groups[group] = { ...stats, ...totals };
    }
    return { appends: receiver.stats(), groups };
  }

  const relay: Relay = {
    fetch: (request, connection) => receiver.fetch(request, connection),
    node: (req, res) => receiver.node(req, res),
    log,
    consumer(group, consumerOptions = {}) {
      checkGroup(group);
      return createConsumer(log, group, consumerOptions, (counters) => {
        const list = consumers.get(group) ?? [];
        list.push(counters);
        consumers.set(group, list);
      });
    },
    replay: (replayOptions) => replay(log, replayOptions),
    deadLetters(group) {
      checkGroup(group);
      return deadLettersOf(log, group);
    },
    metrics,
    onError(handler) {
      receiver.onError(handler);
      return relay;
    },
  };
  return relay;
}
