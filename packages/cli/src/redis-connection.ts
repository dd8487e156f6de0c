import { createClient } from 'redis';
import { CliError, EXIT, messageOf } from './cli-error.js';
import type { Io } from './output.js';
import { REDIS_URL, urlOption } from './url-option.js';

export type RedisClient = ReturnType<typeof createClient>;

/** How long a command waits for Redis to answer: long enough for a restart, short enough for a script. */
export const CONNECT_DEADLINE_MS = 5_000;

export interface ConnectOptions {
  /** Gives up waiting when it aborts (Ctrl-C), throwing its reason. */
  signal?: AbortSignal;
  /**
   * Without one (`false`), a service started before its Redis waits for it until `signal`, and its
   * commands wait out a lost connection; with it (a one-shot command), the wait ends at
   * CONNECT_DEADLINE_MS with "cannot reach Redis", and a command sent while the connection is lost
   * fails at once (the client reconnects for ever, so a queued one would wait for ever).
   */
  deadline?: boolean;
}

/** A connected client for `--redis <url>`; a Redis that does not answer is a CliError naming its host, never the password. */
export async function connectRedis(value: string, io: Io, { signal, deadline = true }: ConnectOptions = {}): Promise<RedisClient> {
  const url = urlOption('--redis', value, REDIS_URL.protocols, REDIS_URL.example);
  signal?.throwIfAborted();
  const client = createClient({ url: value, socket: { connectTimeout: CONNECT_DEADLINE_MS }, disableOfflineQueue: deadline });
  // reconnection is the client's; errors in between are reported once per kind
  let lastError = '';
  client.on('error', (error: Error) => {
    if (error.message !== lastError) io.err(`redis: ${error.message}`);
    lastError = error.message;
  });
  client.on('ready', () => (lastError = ''));
  const timeout = deadline ? AbortSignal.timeout(CONNECT_DEADLINE_MS) : undefined;
  const giveUp = AbortSignal.any([signal, timeout].filter((given) => given !== undefined));
  const abandon = () => client.destroy();
  giveUp.addEventListener('abort', abandon, { once: true });
  try {
    await client.connect();
    // a client destroyed while it waits resolves its connect: the signal says it gave up
    giveUp.throwIfAborted();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    const why = timeout?.aborted ? `${lastError || 'no answer'} (gave up after ${CONNECT_DEADLINE_MS / 1000}s)` : messageOf(error);
    throw new CliError(`cannot reach Redis at ${url.host}: ${why}`, EXIT.failed);
  } finally {
    giveUp.removeEventListener('abort', abandon);
  }
  return client;
}
