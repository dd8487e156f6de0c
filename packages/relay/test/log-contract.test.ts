import { afterAll, beforeAll, describe, it } from 'vitest';
import { createMemoryLog, createRedisLog } from '../src/index.js';
import { describeLogContract } from '../src/testing.js';
import { connect, freshStream, redisPeer, startRedis, type RedisClient, type RunningRedis } from './helpers.js';

describeLogContract('memory log', { describe, it }, async ({ partitions }) => ({ log: createMemoryLog({ partitions }) }));

describe.skipIf(!redisPeer.available)('on a real redis-server', () => {
  let redis: RunningRedis;
  let client: RedisClient;
  beforeAll(async () => {
    redis = await startRedis();
    client = await connect(redis.url);
  });
  afterAll(async () => {
    await client?.quit();
    await redis?.stop();
  });
  describeLogContract('redis log', { describe, it }, async ({ partitions }) => ({ log: createRedisLog({ client, stream: freshStream(), partitions }) }));
});
