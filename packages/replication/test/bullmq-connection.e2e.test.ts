import { requirePeers, startRedis, type RunningRedis } from '@regevents/registry-harness';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplicationConfigError, type ReplicationJobData } from '../src/index.js';
import { createBullMqQueue } from '../src/node.js';

const peers = requirePeers('redis-server');
const lane = { concurrency: 1, attempts: 3, backoffMs: 1000 };
const job: ReplicationJobData = { policy: 'mirror', target: 'dc2', action: 'copy', repository: 'team/app', tag: '1.0', cause: 'manual', createdAt: new Date().toISOString() };

/** Clients connected to `redis`, as Redis counts them. */
async function clientsOf(redis: RunningRedis): Promise<number> {
  const counter = new Redis(redis.url);
  try {
    return Number(/connected_clients:(\d+)/.exec(await counter.info('clients'))?.[1]) - 1;
  } finally {
    counter.disconnect();
  }
}

describe.skipIf(!peers.available)('a BullMQ queue on a connection its caller opened (a one-shot command)', () => {
  let redis: RunningRedis | undefined;
  let client: Redis | undefined;
  afterEach(async () => {
    client?.disconnect();
    await redis?.stop();
    [client, redis] = [undefined, undefined];
  });

  /** ioredis as a one-shot command connects: a command sent while the connection is lost fails at once. */
  async function oneShotClient(running: RunningRedis): Promise<Redis> {
    const connected = new Redis(running.url, { enableOfflineQueue: false });
    connected.on('error', () => undefined);
    await new Promise((resolve) => connected.once('ready', resolve));
    return connected;
  }

  it('sends every lane over that one connection, and leaves it open when it closes', async () => {
    redis = await startRedis();
    client = await oneShotClient(redis);
    const queue = createBullMqQueue({ connection: client });
    const [near, far] = [queue.lane('mirror.near', lane), queue.lane('mirror.far', lane)];
    expect(await near.add('job-1', job)).toBe(true);
    expect((await far.list()).map((view) => view.id)).toEqual([]);
    expect(await near.get('job-1')).toMatchObject({ id: 'job-1', state: 'waiting' });
    expect(await clientsOf(redis)).toBe(1);

    await queue.close();
    expect(await client.ping()).toBe('PONG');
  });

  it('refuses to work jobs with a ReplicationConfigError: a worker needs connections that wait for Redis', async () => {
    redis = await startRedis();
    client = await oneShotClient(redis);
    const queue = createBullMqQueue({ connection: client });
    const working = queue.lane('mirror.dc2', lane).work(async () => ({ outcome: 'copied' }));
    await expect(working).rejects.toBeInstanceOf(ReplicationConfigError);
    await expect(working).rejects.toThrow('a queue on a connection passed in only looks at jobs: a worker needs the connections createBullMqQueue({ redisUrl }) opens, which wait for Redis');
    await queue.close();
  });

  it('fails a query at once, instead of waiting for Redis, once the connection is lost', async () => {
    const running = (redis = await startRedis());
    client = await oneShotClient(running);
    const queue = createBullMqQueue({ connection: client });
    const dc2 = queue.lane('mirror.dc2', lane);
    expect(await dc2.list()).toEqual([]);

    const lost = new Promise((resolve) => client?.once('close', resolve));
    await running.stop();
    redis = undefined;
    await lost;
    await expect(dc2.list()).rejects.toThrow("Stream isn't writeable and enableOfflineQueue options is false");
    await queue.close();
  });
});
