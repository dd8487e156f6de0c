import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { createMockRegistry } from '../src/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const SIZE = 48 * 1024 * 1024;
const CHUNK = 64 * 1024;

function chunkAt(offset: number): Uint8Array {
  return new Uint8Array(CHUNK).fill(offset / CHUNK);
}

/** The blob as a stream generated on the fly, so the test itself holds no copy of it. */
function blobStream(): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= SIZE) return controller.close();
      controller.enqueue(chunkAt(offset));
      offset += CHUNK;
    },
  });
}

function arrayBufferBytes(): number {
  gc();
  gc();
  return process.memoryUsage().arrayBuffers;
}

it('stores an uploaded blob without extra copies: memory grows by about the blob size', async () => {
  const hash = createHash('sha256');
  for (let offset = 0; offset < SIZE; offset += CHUNK) hash.update(chunkAt(offset));
  const digest = `sha256:${hash.digest('hex')}`;
  const registry = createMockRegistry();
  const before = arrayBufferBytes();
  const start = await registry.handle(new Request('http://registry.test/v2/big/blob/blobs/uploads/', { method: 'POST' }));
  const put = await registry.handle(
    new Request(`${start.headers.get('location')}&digest=${digest}`, { method: 'PUT', body: blobStream(), duplex: 'half' } as RequestInit),
  );
  expect(put.status).toBe(201);
  const grown = arrayBufferBytes() - before;
  // other buffers may be freed meanwhile, so "about": the blob is held once, not twice
  expect(grown).toBeGreaterThan(SIZE * 0.9);
  expect(grown).toBeLessThan(SIZE * 1.2);
  const head = await registry.handle(new Request(`http://registry.test/v2/big/blob/blobs/${digest}`, { method: 'HEAD' }));
  expect(head.headers.get('content-length')).toBe(String(SIZE));
});
