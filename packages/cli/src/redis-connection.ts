import { ClientClosedError, ClientOfflineError, createClient, DisconnectsClientError } from 'redis';
import { CliError, EXIT, explainEvery, explainWith, messageOf } from './cli-error.js';
import type { Io } from './output.js';
import { REDIS_URL, urlOption } from './url-option.js';

export type RedisClient = ReturnType<typeof createClient>;

/**
 * How long a one-shot command waits for Redis: to connect, and for the answer to each command it
 * sends. Long enough for a restart, short enough for a script.
 */
export const CONNECT_DEADLINE_MS = 5_000;

/** A one-shot client asks its Redis this often whether it still answers (one PING at a time). */
const PING_INTERVAL_MS = CONNECT_DEADLINE_MS / 5;

export interface ConnectOptions {
  /** Gives up waiting when it aborts (Ctrl-C), throwing its reason. */
  signal?: AbortSignal;
  /**
   * Without one (`false`), a service started before its Redis waits for it until `signal`, and its
   * commands wait out a lost connection. With `'connect'` (the demo, a service that must find its
   * Redis to start), the wait ends at CONNECT_DEADLINE_MS with "cannot reach Redis", and a command
   * sent while the connection is lost fails at once (the client reconnects for ever, so a queued one
   * would wait for ever). With `true` (a one-shot command), also once Redis leaves a PING unanswered
   * that long, the commands waiting for it fail, with "Redis … did not answer", and the client closes.
   */
  deadline?: boolean | 'connect';
}

const seconds = (ms: number) => `${ms / 1000}s`;

/** A one-shot command's one line for a Redis it lost (or never reached): its host, never the password. */
function cannotReach(host: string, why: string): CliError {
  return new CliError(`cannot reach Redis at ${host}: ${why}`, EXIT.failed);
}

/**
 * The one line for a command refused because its Redis went away: node-redis's words, and which
 * Redis. The client makes that error anew at each command, so it is explained by its class.
 */
function explainOffline(host: string): void {
  explainEvery(ClientOfflineError, cannotReach(host, new ClientOfflineError().message));
}

/** Node-redis's options for `--redis <url>`. */
function clientOptions(url: string, deadline: NonNullable<ConnectOptions['deadline']>): Parameters<typeof createClient>[0] {
  const socket = { connectTimeout: CONNECT_DEADLINE_MS };
  return deadline ? { url, socket, disableOfflineQueue: true } : { url, socket };
}

/**
 * Calls `noAnswer` once Redis leaves a PING unanswered for CONNECT_DEADLINE_MS; stops when the
 * client ends. Not the socket's inactivity timeout: every write restarts that one, so a command
 * that keeps sending (a consumer's heartbeat) would wait longer on a Redis that stopped answering;
 * nor node-redis's command timeout, which ends once the command is written.
 */
function watchAnswers(client: RedisClient, noAnswer: () => void): void {
  let unanswered: NodeJS.Timeout | undefined;
  const ask = setInterval(() => {
    if (unanswered) return;
    unanswered = setTimeout(() => {
      clearInterval(ask);
      noAnswer();
    }, CONNECT_DEADLINE_MS).unref();
    // a ping refused (a lost connection) is the commands' to report
    const answered = () => {
      clearTimeout(unanswered);
      unanswered = undefined;
    };
    client.ping().then(answered, answered);
  }, PING_INTERVAL_MS);
  // the watch must not keep a command that is done running
  ask.unref();
  client.once('end', () => {
    clearInterval(ask);
    clearTimeout(unanswered);
  });
}

/** A connected client for `--redis <url>`; a Redis that does not answer is a CliError naming its host, never the password. */
export async function connectRedis(value: string, io: Io, { signal, deadline = true }: ConnectOptions = {}): Promise<RedisClient> {
  const url = urlOption('--redis', value, REDIS_URL.protocols, REDIS_URL.example);
  signal?.throwIfAborted();
  const client = createClient(clientOptions(value, deadline));
  const unanswered = new CliError(`Redis at ${url.host} did not answer within ${seconds(CONNECT_DEADLINE_MS)}`, EXIT.failed);
  // reconnection is the client's; errors in between are reported once per kind, none once it gave up
  let lastError = '';
  let gaveUp = false;
  client.on('error', (error: Error) => {
    if (gaveUp) return;
    // node-redis fails the commands in flight with the error it emits (the connection closed, or reset:
    // "read ECONNRESET"), so a one-shot command's one line names its Redis; a service reports each loss as it reconnects
    if (deadline === true) explainWith(error, cannotReach(url.host, error.message));
    else if (error.message !== lastError) io.err(`redis: ${error.message}`);
    lastError = error.message;
  });
  client.on('ready', () => (lastError = ''));
  const timeout = deadline ? AbortSignal.timeout(CONNECT_DEADLINE_MS) : undefined;
  const giveUp = AbortSignal.any([signal, timeout].filter((given) => given !== undefined));
  const abandon = () => {
    // a client destroyed in its handshake reports errors of its own: nothing Redis said
    gaveUp = true;
    client.destroy();
  };
  giveUp.addEventListener('abort', abandon, { once: true });
  try {
    await client.connect();
    // a client destroyed while it waits resolves its connect: the signal says it gave up
    giveUp.throwIfAborted();
    if (deadline === true) {
      explainOffline(url.host);
      watchAnswers(client, () => {
        // the commands waiting for Redis fail as the client goes, those sent after it as closed: both mean no answer
        gaveUp = true;
        explainEvery(DisconnectsClientError, unanswered);
        explainEvery(ClientClosedError, unanswered);
        client.destroy();
      });
    }
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    const why = timeout?.aborted ? `${lastError || 'no answer'} (gave up after ${seconds(CONNECT_DEADLINE_MS)})` : messageOf(error);
    throw cannotReach(url.host, why);
  } finally {
    giveUp.removeEventListener('abort', abandon);
  }
  return client;
}

/** Closes a client unless it closed itself (a one-shot client that gave up on Redis): a second close would only fail. */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (client.isOpen) await client.close();
}
