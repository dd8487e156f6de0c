import { createMemoryLog, createRedisLog, type LogEntry, type RelayLog } from '@regevents/relay';
import { isKnownEvent, type UnknownEvent } from '@regevents/webhooks';
import type { Event } from '@regevents/types';
import { CliError } from '../cli-error.js';
import { formatEvent, type Io } from '../output.js';
import { closeRedis, connectRedis, type ConnectOptions, type RedisClient } from '../redis-connection.js';

/** The options every `regevents relay` command shares to find the log. */
export interface RelayLogOptions {
  redis?: string;
  stream?: string;
  partitions?: number;
}

export interface OpenLog {
  log: RelayLog;
  /** The connected client behind a Redis log, for other state kept beside it. */
  redis?: RedisClient;
  close(): Promise<void>;
}

export interface OpenLogOptions extends ConnectOptions {
  /** `regevents relay` and `replicate` alone keep the log in memory without `--redis`. */
  memoryAllowed?: boolean;
}

/** The Redis log at `--redis`, or (where `memoryAllowed`) an in-memory one. */
export async function openLog(options: RelayLogOptions, io: Io, { memoryAllowed = false, ...connect }: OpenLogOptions = {}): Promise<OpenLog> {
  if (!options.redis) {
    if (!memoryAllowed) throw new CliError('--redis <url> is required: this command reads the log a relay writes');
    io.err(io.colors.yellow('no --redis: events are kept in memory and lost when the relay stops'));
    return { log: createMemoryLog(), close: async () => undefined };
  }
  const client = await connectRedis(options.redis, io, connect);
  return {
    log: createRedisLog({ client, stream: options.stream, partitions: options.partitions }),
    redis: client,
    close: () => closeRedis(client),
  };
}

/** One line for a logged event: its position, then what it was. */
export function formatEntry(entry: LogEntry, io: Io): string {
  const { record } = entry;
  const event = record.event as Event | UnknownEvent;
  const what =
    record.format === 'distribution' && isKnownEvent(event)
      ? formatEvent(event, io.colors)
      : `${record.format} ${(record.event as { kind?: string; action?: string }).kind ?? (record.event as { action?: string }).action ?? ''} ${record.repository}`;
  return `${io.colors.dim(entry.position)} ${what}`;
}
