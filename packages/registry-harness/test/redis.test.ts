import { createConnection } from 'node:net';
import { describe, expect, it } from 'vitest';
import { requirePeers, startRedis } from '../src/index.js';

const peers = requirePeers('redis-server');

function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().trim());
    });
    socket.once('error', reject);
  });
}

describe.skipIf(!peers.available)('startRedis', () => {
  it('restarts with its whileDown step run while nothing listens, and is back up even when that step fails', async () => {
    const redis = await startRedis();
    try {
      let downWhileStepRan: boolean | undefined;
      await redis.restart({ kill: true, whileDown: async () => (downWhileStepRan = await ping(redis.port).then(() => false, () => true)) });
      expect(downWhileStepRan).toBe(true);
      await expect(redis.restart({ whileDown: async () => Promise.reject(new Error('step failed')) })).rejects.toThrow('step failed');
      expect(await ping(redis.port)).toBe('+PONG');
    } finally {
      await redis.stop();
    }
  });
});
