import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { MockRegistry } from '../registry.js';

export interface ServeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Told about every request once it is answered, e.g. for an access log. */
  onRequest?: (entry: ServedRequest) => void;
  /**
   * Serve `/debug/vars` on its own address instead of the API's, as the registry's `http.debug.addr`
   * does (port 0 picks a free one; host defaults to 127.0.0.1). It stays gated like the API.
   */
  debug?: { port?: number; host?: string };
}

export interface ServedRequest {
  method: string;
  /** Path and query as requested. */
  path: string;
  status: number;
  peer: string;
  /** Time to the response headers. */
  ms: number;
}

export interface ServedRegistry {
  url: string;
  port: number;
  /** `http://host:port/debug/vars` when `debug` was given. */
  debugUrl?: string;
  close(): Promise<void>;
}

const NOT_FOUND = { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } };

/**
 * The request's chunks for the handler. The request's own iterator destroys it when a handler stops
 * reading early (a manifest over the limit), which reset the connection before the answer was
 * written; here the unread rest is dropped as it comes instead.
 */
async function* chunksOf(req: IncomingMessage): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of req.iterator({ destroyOnReturn: false })) yield chunk as Uint8Array;
  } finally {
    if (!req.readableEnded) req.resume();
  }
}

/** How long a connection closed on an unread body still takes what the client sends: Go's server waits so (its rstAvoidanceDelay). */
const LINGER_MS = 500;

/**
 * Closes a connection answered while its client is still sending as Go's server does: the answer,
 * then end of our side, reading and dropping what still comes for a moment, then the close. Closed at
 * once, the rest meets a reset, which reaches the client before it has read the answer (EPIPE, no answer).
 */
function lingerOnClose(req: IncomingMessage): void {
  const { socket } = req;
  socket.destroySoon = () => {
    socket.end();
    req.resume();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
}

function toRequest(req: IncomingMessage): Request {
  const url = `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(url, {
    method: req.method,
    headers,
    // ReadableStream.from pulls the request's chunks as the handler reads them; Readable.toWeb's
    // push-and-pause adapter was the largest cost of a blob upload in a CPU profile.
    body: hasBody ? (NodeReadableStream.from(chunksOf(req)) as unknown as ReadableStream<Uint8Array>) : undefined,
    duplex: 'half',
  } as RequestInit);
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

/**
 * Serves the registry's handlers on a real node:http server, so skopeo, docker or crane can
 * talk to it. The registry's base URL and `source.addr` follow the served address.
 */
export async function serve(registry: MockRegistry, options: ServeOptions = {}): Promise<ServedRegistry> {
  const onDebugAddress = (req: IncomingMessage) => (req.url ?? '').split('?')[0] === '/debug/vars';
  const api = await listen(options.port ?? 0, options.host ?? '127.0.0.1', (req) => !(options.debug && onDebugAddress(req)), registry, options.onRequest);
  const debug = options.debug ? await listen(options.debug.port ?? 0, options.debug.host ?? '127.0.0.1', onDebugAddress, registry) : undefined;
  registry.setServedAddress(api.url, `${hostname()}:${api.port}`);
  return {
    url: api.url,
    port: api.port,
    ...(debug ? { debugUrl: `${debug.url}/debug/vars` } : {}),
    close: async () => {
      await Promise.all([api.close(), debug?.close()]);
    },
  };
}

/** A node:http server that hands the requests `answers` accepts to the registry and answers the rest 404, as an unknown route. */
async function listen(port: number, host: string, answers: (req: IncomingMessage) => boolean, registry: MockRegistry, onRequest?: ServeOptions['onRequest']) {
  const server = createServer((req, res) => {
    const peer = `${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? 0}`.replace(/^::ffff:/, '');
    const started = performance.now();
    const answer = answers(req) ? registry.handle(toRequest(req), peer) : Promise.resolve(new Response('404 page not found\n', NOT_FOUND));
    answer
      .then((response) => {
        onRequest?.({ method: req.method ?? '', path: req.url ?? '', status: response.status, peer, ms: performance.now() - started });
        if (!req.complete && response.headers.get('connection')?.toLowerCase() === 'close') lingerOnClose(req);
        return writeResponse(response, res);
      })
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(error instanceof Error ? error.message : String(error));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
