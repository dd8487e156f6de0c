import { startRedis, type RunningRedis } from '@regevents/registry-harness';
import { createClient } from 'redis';
import { afterAll, beforeAll } from 'vitest';

export type RedisClient = ReturnType<typeof createClient>;

/** A real redis-server and a connected node-redis client for the tests of the enclosing describe block. */
export function useRedisServer(): { readonly url: string; readonly client: RedisClient } {
  let redis: RunningRedis | undefined;
  let client: RedisClient | undefined;
  beforeAll(async () => {
    redis = await startRedis();
    client = createClient({ url: redis.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.quit();
    await redis?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('redis-server is not started yet: use it inside a test');
    return value;
  };
  return {
    get url() {
      return started(redis).url;
    },
    get client() {
      return started(client);
    },
  };
}
