import { RelayConfigError } from './errors.js';
import { positiveInteger } from './memory-log.js';

export interface SseHubOptions {
  /** Messages queued for a client whose socket is full; one more and the client is dropped. Default 256. */
  maxBacklog?: number;
  /** A comment line this often, so dead connections are noticed behind idle proxies. Default 15 s. */
  heartbeatMs?: number;
}

/** The parts of node's `ServerResponse` an event stream uses. */
export interface StreamResponseLike {
  readonly destroyed?: boolean;
  writeHead(status: number, headers: Record<string, string>): unknown;
  /** false once the socket is full: wait for `drain`. */
  write(chunk: string): boolean;
  end(body?: string): unknown;
  destroy(): unknown;
  on(event: string, listener: () => void): unknown;
}

/** Keeps a timer from holding the process open, where the runtime can (Node, Bun, Deno). */
export function unrefTimer(timer: unknown): void {
  (timer as { unref?: () => void }).unref?.();
}

export interface SseStats {
  clients: number;
  /** Clients dropped because they read slower than the backlog allowed. */
  dropped: number;
}

export interface SseHub {
  /** Answers `req` with an event stream, `first` (if any) as its first message, and keeps it until either side closes. */
  connect(res: StreamResponseLike, first?: { event: string; data: unknown }): void;
  /** Sends one message to every client. */
  send(event: string, data: unknown): void;
  stats(): SseStats;
  /** Ends every stream. */
  close(): void;
}

interface Client {
  res: StreamResponseLike;
  /** Messages waiting for `drain`; only filled while the socket is full. */
  backlog: string[];
  blocked: boolean;
}

/**
 * One message in the event-stream format. JSON never holds a raw line break, so `data` is one
 * line whatever the event carries; `<` and `>` are escaped too, so the stream stays inert even if
 * something renders it as HTML.
 */
export function sseMessage(event: string, data: unknown): string {
  if (!/^[a-z][a-z-]*$/.test(event)) throw new RelayConfigError(`an event-stream message name is lowercase letters and "-" (got ${JSON.stringify(event)})`);
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
  return `event: ${event}\ndata: ${json}\n\n`;
}

/** Server-sent events to many clients, each with a bounded backlog: a client that cannot keep up is dropped, not buffered for. */
export function createSseHub(options: SseHubOptions = {}): SseHub {
  const maxBacklog = positiveInteger(options.maxBacklog, 256, 'maxBacklog');
  const heartbeatMs = positiveInteger(options.heartbeatMs, 15_000, 'heartbeatMs');
  const clients = new Set<Client>();
  let dropped = 0;

  function remove(client: Client): void {
    if (!clients.delete(client)) return;
    client.backlog.length = 0;
    client.res.end();
  }

  function write(client: Client, message: string): void {
    if (client.blocked) {
      if (client.backlog.length >= maxBacklog) {
        dropped++;
        remove(client);
        // ending politely would wait behind the full socket
        client.res.destroy();
        return;
      }
      client.backlog.push(message);
      return;
    }
    if (!client.res.write(message)) client.blocked = true;
  }

  function drain(client: Client): void {
    client.blocked = false;
    while (!client.blocked && client.backlog.length > 0) write(client, client.backlog.shift() as string);
  }

  const heartbeat = setInterval(() => {
    for (const client of clients) write(client, ': ping\n\n');
  }, heartbeatMs);
  unrefTimer(heartbeat);

  return {
    connect(res, first) {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', connection: 'keep-alive' });
      const client: Client = { res, backlog: [], blocked: false };
      clients.add(client);
      res.on('drain', () => drain(client));
      // the response closes when the client goes away (the request's own close comes too early on GET)
      res.on('close', () => remove(client));
      // tells EventSource how long to wait before reconnecting
      write(client, 'retry: 1000\n\n');
      if (first) write(client, sseMessage(first.event, first.data));
    },
    send(event, data) {
      const message = sseMessage(event, data);
      for (const client of clients) write(client, message);
    },
    stats: () => ({ clients: clients.size, dropped }),
    close() {
      clearInterval(heartbeat);
      for (const client of clients) remove(client);
    },
  };
}
