import { createMemoryLog, type RelayLog } from '@regevents/relay';
import { createMemoryQueue, type JobQueue } from '@regevents/replication';
import { createBullMqQueue } from '@regevents/replication/node';
import { createMemoryUsageStore, createRedisUsageStore, type UsageStore } from '@regevents/retention';
import type { Io } from '../output.js';
import { openLog } from './relay-log.js';

/** Where the demo keeps its state: the relay's log, the replication jobs and the usage records. */
export interface DemoBackend {
  /** For the narration: `memory log` or `Redis log at host:port`. */
  description: string;
  log: RelayLog;
  queue: JobQueue;
  store: UsageStore;
  /** After the replicator closed `queue`: lets go of the state; under Redis, deletes every key the demo wrote. */
  close(): Promise<void>;
  /** Under Redis, what every key the demo writes starts with (after the `{` of the log's hash tags). */
  keyPrefix?: string;
}

export function memoryBackend(): DemoBackend {
  return { description: 'memory log', log: createMemoryLog(), queue: createMemoryQueue(), store: createMemoryUsageStore(), close: async () => undefined };
}

/**
 * The same state in Redis: the relay's Redis Streams log, BullMQ for the jobs and usage hashes, every
 * key under one prefix of this run (`regevents-demo-<id>`, braces of the log's hash tags aside), so
 * the demo can share a Redis with anything and removes exactly what it wrote when it ends.
 */
export async function redisBackend(url: string, io: Io, signal?: AbortSignal): Promise<DemoBackend> {
  const keyPrefix = `regevents-demo-${crypto.randomUUID().slice(0, 8)}`;
  // no service waiting for its Redis: one that does not answer within the connect deadline fails the start;
  // running, it waits out a slow answer as the relay would
  const opened = await openLog({ redis: url, stream: keyPrefix }, io, { signal, deadline: 'connect' });
  const client = opened.redis;
  if (!client) throw new Error('a Redis log without its client');
  return {
    description: `Redis log at ${new URL(url).host}`,
    log: opened.log,
    queue: createBullMqQueue({ redisUrl: url, prefix: `${keyPrefix}:jobs` }),
    store: createRedisUsageStore({ client, prefix: `${keyPrefix}:usage` }),
    keyPrefix,
    async close() {
      for (const pattern of [`${keyPrefix}*`, `{${keyPrefix}*`]) {
        for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 500 })) if (keys.length > 0) await client.unlink(keys);
      }
      await opened.close();
    },
  };
}
