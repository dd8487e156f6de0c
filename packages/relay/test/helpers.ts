import { requirePeers, startRedis, type RunningRedis } from '@regevents/registry-harness';
import { createClient } from 'redis';

export type RedisClient = ReturnType<typeof createClient>;

export const redisPeer = requirePeers('redis-server');

let streams = 0;
/** A fresh stream name per test on a shared server. */
export function freshStream(): string {
  return `test:${process.pid}:${++streams}`;
}

export async function connect(url: string): Promise<RedisClient> {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export type { RunningRedis };
export { startRedis };
