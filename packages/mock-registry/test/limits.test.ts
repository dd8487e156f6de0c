import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createMockRegistry, digestOf, pseudoRandomBytes } from '../src/index.js';
import { createMockRegistry as createNodeRegistry } from '../src/node/index.js';

const BASE = 'http://registry.test';
const MiB = 1024 * 1024;

/** A body of `total` bytes made on demand, counting what the reader pulled. */
function countedBody(total: number, chunk = 64 * 1024): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const piece = new Uint8Array(chunk).fill(0x20);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close();
      pulled += piece.byteLength;
      controller.enqueue(piece.slice());
    },
  });
  return { body, pulled: () => pulled };
}

/**
 * PUTs `total` bytes to `url` as a client that reads an early answer does (curl, Go's client): it
 * stops writing once the answer's head arrives. A write after it may meet the connection the server
 * closed on the unread rest (fetch then fails with EPIPE and shows no answer): the answer is what counts.
 */
function putUntilAnswered(url: string, total: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const piece = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    let answered = false;
    const req = request(url, { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() });
        req.destroy();
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const write = () => {
      while (!answered && sent < total) {
        sent += piece.byteLength;
        if (!req.write(piece)) return void req.once('drain', write);
      }
      if (!answered) req.end();
    };
    write();
  });
}

const put = (path: string, body: BodyInit, headers: HeadersInit = {}) =>
  new Request(`${BASE}${path}`, { method: 'PUT', body, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json', ...headers }, duplex: 'half' } as RequestInit);

describe('size limits', () => {
  it('refuses a manifest over 4 MiB by its Content-Length, as distribution (MANIFEST_INVALID)', async () => {
    const registry = createMockRegistry();
    const response = await registry.handle(put('/v2/demo/app/manifests/1', new Uint8Array(4 * MiB + 1)));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ code: 'MANIFEST_INVALID', message: 'manifest invalid', detail: 'http: request body too large' }] });
  });

  it('stops reading a streamed manifest body at the first byte past 4 MiB', async () => {
    const registry = createMockRegistry();
    const { body, pulled } = countedBody(400 * MiB);
    const response = await registry.handle(put('/v2/demo/app/manifests/1', body));
    expect(response.status).toBe(400);
    expect(pulled()).toBeLessThan(5 * MiB);
    expect(registry.events).toHaveLength(0);
  });

  it('a byte cap on storage refuses the chunk that would pass it, with a registry error, and ends the upload', async () => {
    const registry = createMockRegistry({ maxStorageBytes: 100_000 });
    const start = await registry.handle(new Request(`${BASE}/v2/demo/app/blobs/uploads/`, { method: 'POST' }));
    const location = start.headers.get('location') as string;
    const { body, pulled } = countedBody(512 * MiB);
    const patch = await registry.handle(new Request(location, { method: 'PATCH', body, duplex: 'half' } as RequestInit));
    expect(patch.status).toBe(403);
    expect(await patch.json()).toEqual({ errors: [{ code: 'DENIED', message: 'storage limit of 100000 bytes reached', detail: { limit: 100_000 } }] });
    expect(pulled()).toBeLessThan(MiB);
    expect((await registry.handle(new Request(location))).status).toBe(404);
    // the refused bytes were given back: a blob that fits is stored
    const blob = pseudoRandomBytes(1, 90_000);
    const monolithic = await registry.handle(new Request(`${BASE}/v2/demo/app/blobs/uploads/`, { method: 'POST' }));
    const stored = await registry.handle(new Request(`${monolithic.headers.get('location')}&digest=${digestOf(blob)}`, { method: 'PUT', body: blob as BodyInit }));
    expect(stored.status).toBe(201);
    const second = await registry.handle(new Request(`${BASE}/v2/demo/app/blobs/uploads/`, { method: 'POST' }));
    const over = await registry.handle(new Request(`${second.headers.get('location')}&digest=${digestOf(blob)}`, { method: 'PUT', body: pseudoRandomBytes(2, 20_000) as BodyInit }));
    expect(over.status).toBe(403);
  });

  it('refuses a negative or fractional cap', () => {
    expect(() => createMockRegistry({ maxStorageBytes: -1 })).toThrow(/maxStorageBytes/);
    expect(() => createMockRegistry({ maxStorageBytes: 1.5 })).toThrow(/maxStorageBytes/);
  });

  it('over serve(), a 400 MiB manifest PUT is answered 400 without the body in memory', async () => {
    const registry = createNodeRegistry();
    const served = await registry.serve();
    try {
      global.gc?.();
      const before = process.memoryUsage().rss;
      const response = await putUntilAnswered(`${served.url}/v2/demo/app/manifests/1`, 400 * MiB);
      const grown = process.memoryUsage().rss - before;
      expect(response.status).toBe(400);
      expect(JSON.parse(response.text).errors[0].code).toBe('MANIFEST_INVALID');
      expect(grown).toBeLessThan(200 * MiB);
    } finally {
      await served.close();
    }
  });
});
