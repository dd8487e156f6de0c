import { EventEmitter } from 'node:events';
import { request } from 'node:http';
import { capturedBodies, type CapturedBody } from '@regevents/registry-harness';
import { EVENTS_MEDIA_TYPE_V1 } from '@regevents/types';
import type { NodeRequestLike, NodeResponseLike, WebhookHandler } from '../src/index.js';

export const TOKEN = 'test-token-7f3a9c1e';

/** Every captured body, and one of them by name (`push-by-tag/003.json`). */
export const fixtures: CapturedBody[] = capturedBodies();
export function fixture(suffix: string): CapturedBody {
  const found = fixtures.find((f) => f.name.endsWith(suffix));
  if (!found) throw new Error(`no captured fixture ${suffix}`);
  return found;
}

/** A captured envelope with each event's id replaced, so a test can deliver "new" events. */
export function withFreshIds(body: Uint8Array): string {
  const envelope = JSON.parse(new TextDecoder().decode(body)) as { events: { id: string }[] };
  for (const event of envelope.events) event.id = crypto.randomUUID();
  return JSON.stringify(envelope);
}

export interface PostOptions {
  headers?: HeadersInit;
  method?: string;
  remoteAddress?: string;
}

/** Delivers a body the way the registry does (POST, its content type, bearer token) through `.fetch`. */
export function deliver(hooks: WebhookHandler, body: string | Uint8Array | ReadableStream<Uint8Array> | null, options: PostOptions = {}): Promise<Response> {
  const headers = new Headers({ 'content-type': EVENTS_MEDIA_TYPE_V1, authorization: `Bearer ${TOKEN}` });
  for (const [name, value] of new Headers(options.headers)) headers.set(name, value);
  const method = options.method ?? 'POST';
  const request = new Request('http://127.0.0.1/events', { method, headers, body: method === 'GET' || method === 'HEAD' ? null : body instanceof Uint8Array ? new Uint8Array(body) : body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
  return hooks.fetch(request, { remoteAddress: options.remoteAddress ?? '127.0.0.1' });
}

/** A promise with its resolver outside, to hold a handler mid-flight. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A raw node:http POST, so a header can be repeated (fetch would join the values). */
export function rawPost(url: string, headers: Record<string, string | string[]>, body: string | Uint8Array): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A node:http request that the test feeds by hand, and a response that records its status: what
 * the receiver has answered when `send` returns was answered with no promise in between.
 */
export function handFedNodeRequest(headers: Record<string, string>): { req: EventEmitter & NodeRequestLike; res: NodeResponseLike; status: () => number | undefined; send: (body: string | Uint8Array) => void } {
  const req = Object.assign(new EventEmitter(), { method: 'POST', rawHeaders: Object.entries(headers).flat(), socket: { remoteAddress: '127.0.0.1' }, resume: () => undefined });
  let status: number | undefined;
  const res: NodeResponseLike = {
    writeHead(code) {
      status = code;
    },
    end: () => undefined,
  };
  const send = (body: string | Uint8Array) => {
    req.emit('data', typeof body === 'string' ? Buffer.from(body) : body);
    req.emit('end');
  };
  return { req, res, status: () => status, send };
}
