import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveOnLoopback } from '@regevents/registry-harness';

export interface HostileServer {
  url: string;
  /** Requests as they arrived: method and path with query. */
  requests: string[];
  close(): Promise<void>;
}

/** A loopback server whose every answer the test writes by hand, misbehaving as a broken registry would. */
export async function startHostileServer(handle: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void): Promise<HostileServer> {
  const requests: string[] = [];
  const server = await serveOnLoopback((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  return { url: server.origin, requests, close: server.close };
}
