import { createMemoryLog, createRedisLog, type LogEntry, type RelayLog } from '@regevents/relay';
import { isKnownEvent, type UnknownEvent } from '@regevents/webhooks';
import type { Event } from '@regevents/types';
import { createClient } from 'redis';
import { CliError, EXIT, messageOf } from '../cli-error.js';
import { formatEvent, type Io } from '../output.js';
import { REDIS_URL, urlOption } from '../url-option.js';

/** The options every `regevents relay` command shares to find the log. */
export interface RelayLogOptions {
  redis?: string;
  stream?: string;
  partitions?: number;
}

export interface OpenLog {
  log: RelayLog;
  /** The connected client behind a Redis log, for other state kept beside it. */
  redis?: ReturnType<typeof createClient>;
  close(): Promise<void>;
}

export interface OpenLogOptions {
  /** `regevents relay` and `replicate` alone keep the log in memory without `--redis`. */
  memoryAllowed?: boolean;
  /**
   * Gives up waiting for a Redis that does not answer (the client retries forever), throwing the
   * signal's reason. Without one (a one-shot command), the wait ends at CONNECT_DEADLINE_MS with
   * "cannot reach Redis".
   */
  signal?: AbortSignal;
}

/** How long a one-shot command waits for Redis to answer: long enough for a restart, short enough for a script. */
export const CONNECT_DEADLINE_MS = 5_000;

/** The Redis log at `--redis`, or (where `memoryAllowed`) an in-memory one. */
export async function openLog(options: RelayLogOptions, io: Io, { memoryAllowed = false, signal }: OpenLogOptions = {}): Promise<OpenLog> {
  if (!options.redis) {
    if (!memoryAllowed) throw new CliError('--redis <url> is required: this command reads the log a relay writes');
    io.err(io.colors.yellow('no --redis: events are kept in memory and lost when the relay stops'));
    return { log: createMemoryLog(), close: async () => undefined };
  }
  const url = urlOption('--redis', options.redis, REDIS_URL.protocols, REDIS_URL.example);
  signal?.throwIfAborted();
  const client = createClient({ url: options.redis, socket: { connectTimeout: CONNECT_DEADLINE_MS } });
  // reconnection is the client's; errors in between are reported once per kind
  let lastError = '';
  client.on('error', (error: Error) => {
    if (error.message !== lastError) io.err(`redis: ${error.message}`);
    lastError = error.message;
  });
  client.on('ready', () => (lastError = ''));
  const abandon = () => client.destroy();
  const giveUp = signal ?? AbortSignal.timeout(CONNECT_DEADLINE_MS);
  giveUp.addEventListener('abort', abandon, { once: true });
  try {
    await client.connect();
    // a client destroyed while it waits resolves its connect: the signal says it gave up
    giveUp.throwIfAborted();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    // the URL may hold a password: name only the host
    const why = giveUp.aborted ? `${lastError || 'no answer'} (gave up after ${CONNECT_DEADLINE_MS / 1000}s)` : messageOf(error);
    throw new CliError(`cannot reach Redis at ${url.host}: ${why}`, EXIT.failed);
  } finally {
    giveUp.removeEventListener('abort', abandon);
  }
  return {
    log: createRedisLog({ client, stream: options.stream, partitions: options.partitions }),
    redis: client,
    close: async () => {
      await client.close();
    },
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
