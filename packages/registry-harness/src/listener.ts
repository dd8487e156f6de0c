import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveOnLoopback } from './loopback.js';
import { sleep } from './process.js';

/** One POST exactly as it reached the listener. */
export interface CapturedDelivery {
  /** Order of arrival, from 1. */
  sequence: number;
  method: string;
  path: string;
  /** Header names and values as sent, in order (node's rawHeaders pairs). */
  rawHeaders: [string, string][];
  body: Buffer;
  /** Status the listener answered with. */
  status: number;
}

export interface CaptureListenerOptions {
  /** Chooses the status for a delivery; `attempt` counts earlier deliveries with the same body. Default 200. */
  respond?: (delivery: Omit<CapturedDelivery, 'status'>, attempt: number) => number;
}

export interface CaptureListener {
  url: string;
  deliveries: CapturedDelivery[];
  /** Resolves once no delivery has arrived for `quietMs`, so a scenario's stream is complete. */
  settle(quietMs?: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function pairs(raw: string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) result.push([raw[i] as string, raw[i + 1] as string]);
  return result;
}

/** A loopback HTTP endpoint that records every notification POST byte for byte. */
export async function startCaptureListener(options: CaptureListenerOptions = {}): Promise<CaptureListener> {
  const deliveries: CapturedDelivery[] = [];
  const attemptsByBody = new Map<string, number>();
  let lastArrival = Date.now();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      lastArrival = Date.now();
      const body = Buffer.concat(chunks);
      const key = body.toString('base64');
      const attempt = attemptsByBody.get(key) ?? 0;
      attemptsByBody.set(key, attempt + 1);
      const received = {
        sequence: deliveries.length + 1,
        method: req.method ?? '',
        path: req.url ?? '',
        rawHeaders: pairs(req.rawHeaders),
        body,
      };
      const status = options.respond?.(received, attempt) ?? 200;
      deliveries.push({ ...received, status });
      res.writeHead(status).end();
    });
  };

  const server = await serveOnLoopback(handle);
  return {
    url: `${server.origin}/events`,
    deliveries,
    async settle(quietMs = 1_500, timeoutMs = 60_000) {
      const start = Date.now();
      const deadline = start + timeoutMs;
      while (Date.now() - Math.max(lastArrival, start) < quietMs) {
        if (Date.now() > deadline) throw new Error('notifications kept arriving; the stream never settled');
        await sleep(100);
      }
    },
    close: server.close,
  };
}
