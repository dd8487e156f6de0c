import { createConnection } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { requirePeers, startRedis } from '../src/index.js';
import * as processHelpers from '../src/process.js';

const peers = requirePeers('redis-server');

vi.mock('../src/process.js', async (original) => {
  const actual = await original<typeof import('../src/process.js')>();
  return { ...actual, freePort: vi.fn(actual.freePort) };
});

async function processIdOn(port: number): Promise<number> {
  const info = await new Promise<string>((resolve, reject) => {
    let reply = '';
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('INFO server\r\n'));
    socket.on('data', (data) => {
      reply += data.toString();
      if (/process_id:\d+\r\n/.test(reply)) {
        socket.destroy();
        resolve(reply);
      }
    });
    socket.once('error', reject);
  });
  return Number(/process_id:(\d+)/.exec(info)?.[1]);
}

describe.skipIf(!peers.available)('startRedis on a port another Redis took first', () => {
  it('does not take the other Redis for its own: it starts again on a new port, and answers there itself', async () => {
    const other = await startRedis();
    try {
      // the kernel's free port, taken by another test's Redis before this one binds it
      vi.mocked(processHelpers.freePort).mockResolvedValueOnce(other.port);
      const redis = await startRedis();
      try {
        expect(redis.port).not.toBe(other.port);
        expect(processHelpers.freePort).toHaveBeenCalledTimes(3);
        // the server on the returned port is the one this start launched
        expect(await processIdOn(redis.port)).toBe(redis.pid);
      } finally {
        await redis.stop();
      }
    } finally {
      await other.stop();
    }
  });
});
