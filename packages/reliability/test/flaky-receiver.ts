import type { IncomingMessage } from 'node:http';
import { serveOnLoopback } from '@regevents/registry-harness';
import type { Event } from '@regevents/types';
import { createWebhookHandler, type UnknownEvent } from '@regevents/webhooks';

/** Seeded PRNG (mulberry32) so a failing run can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FlakyReceiverOptions {
  token: string;
  /** Share of handler runs that throw (the receiver answers 500). */
  handlerFailureRate: number;
  /** Share of requests whose connection is dropped: half before handling, half after (response lost). */
  dropRate: number;
  seed: number;
}

export interface FlakyReceiverStats {
  /** Successful handler runs per event id, in the order they succeeded. */
  handled: Map<string, number>;
  successOrder: string[];
  /** The events whose handler succeeded, in that order. */
  succeeded: (Event | UnknownEvent)[];
  /** Event ids in the order their first delivery arrived, whatever became of it. */
  arrivalOrder: string[];
  handlerFailures: number;
  droppedBeforeHandling: number;
  droppedAfterHandling: number;
  requests: number;
}

function toRequest(req: IncomingMessage, body: Buffer): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  return new Request(`http://127.0.0.1:${req.socket.localPort}${req.url ?? '/'}`, { method: req.method, headers, body: new Uint8Array(body) });
}

/**
 * A createWebhookHandler receiver behind a server that misbehaves on purpose: handlers throw at
 * random, and connections are dropped before the handler runs or after it succeeded (so the
 * registry never hears of the success and re-sends: deduplication must absorb that).
 */
export async function startFlakyReceiver(options: FlakyReceiverOptions) {
  const random = seededRandom(options.seed);
  const stats: FlakyReceiverStats = { handled: new Map(), successOrder: [], succeeded: [], arrivalOrder: [], handlerFailures: 0, droppedBeforeHandling: 0, droppedAfterHandling: 0, requests: 0 };
  const hooks = createWebhookHandler({ auth: { bearer: options.token } });
  hooks.onAny((event) => {
    if (random() < options.handlerFailureRate) {
      stats.handlerFailures += 1;
      throw new Error('injected handler failure');
    }
    const id = String(event.id);
    stats.handled.set(id, (stats.handled.get(id) ?? 0) + 1);
    stats.successOrder.push(id);
    stats.succeeded.push(event);
  });
  hooks.onError(() => {});
  const arrived = new Set<string>();
  const noteArrival = (body: Buffer) => {
    try {
      for (const event of (JSON.parse(body.toString('utf8')) as { events: { id: string }[] }).events) {
        if (!arrived.has(event.id)) stats.arrivalOrder.push(event.id);
        arrived.add(event.id);
      }
    } catch {
      // not an envelope: the handler will say so
    }
  };
  const server = await serveOnLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      stats.requests += 1;
      noteArrival(Buffer.concat(chunks));
      const roll = random();
      if (roll < options.dropRate / 2) {
        stats.droppedBeforeHandling += 1;
        req.socket.destroy();
        return;
      }
      const dropAfter = roll < options.dropRate;
      void hooks.fetch(toRequest(req, Buffer.concat(chunks))).then(async (response) => {
        if (dropAfter) {
          stats.droppedAfterHandling += 1;
          req.socket.destroy();
          return;
        }
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    });
  });
  return { url: `${server.origin}/events`, stats, close: server.close };
}
