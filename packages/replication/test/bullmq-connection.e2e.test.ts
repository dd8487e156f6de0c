import { requirePeers, startRedis, type RunningRedis } from '@regevents/registry-harness';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { LaneClosedError, ReplicationConfigError, type ReplicationJobData } from '../src/index.js';
import { createBullMqQueue, type BullMqQueueOptions } from '../src/node.js';

const peers = requirePeers('redis-server');
const lane = { concurrency: 1, attempts: 3, backoffMs: 1000 };
const job: ReplicationJobData = { policy: 'mirror', target: 'dc2', action: 'copy', repository: 'team/app', tag: '1.0', cause: 'manual', createdAt: new Date().toISOString() };

/** Clients connected to `redis`, as Redis counts them (less the one asking). */
async function clientsOf(redis: RunningRedis): Promise<number> {
  const counter = new Redis(redis.url);
  try {
    return Number(/connected_clients:(\d+)/.exec(await counter.info('clients'))?.[1]) - 1;
  } finally {
    counter.disconnect();
  }
}

/** A client connected as a one-shot command connects: a command sent while the connection is lost fails at once. */
interface OneShotClient {
  connection: NonNullable<BullMqQueueOptions['connection']>;
  ping(): Promise<string>;
  /** Resolves once the client has seen its connection lost. */
  lost: Promise<unknown>;
  /** Resolves once the client is ready again (its next 'ready'). */
  nextReady(): Promise<unknown>;
  /** Resolves with the next error the client reports to its own listener. */
  nextError(): Promise<unknown>;
  /** The client's listeners of `event`. */
  listeners(event: string): number;
  close(): void;
}

const clients: [string, (redis: RunningRedis) => Promise<OneShotClient>, string][] = [
  [
    'node-redis',
    async (redis) => {
      const client = createClient({ url: redis.url, disableOfflineQueue: true });
      client.on('error', () => undefined);
      await client.connect();
      return { connection: client, ping: () => client.ping(), lost: new Promise((resolve) => client.once('reconnecting', resolve)), nextReady: () => new Promise((resolve) => client.once('ready', resolve)), nextError: () => new Promise((resolve) => client.once('error', resolve)), listeners: (event) => client.listenerCount(event), close: () => client.destroy() };
    },
    'The client is offline',
  ],
  [
    'ioredis',
    async (redis) => {
      const client = new Redis(redis.url, { enableOfflineQueue: false });
      client.on('error', () => undefined);
      await new Promise((resolve) => client.once('ready', resolve));
      return { connection: client, ping: () => client.ping(), lost: new Promise((resolve) => client.once('close', resolve)), nextReady: () => new Promise((resolve) => client.once('ready', resolve)), nextError: () => new Promise((resolve) => client.once('error', resolve)), listeners: (event) => client.listenerCount(event), close: () => client.disconnect() };
    },
    "Stream isn't writeable and enableOfflineQueue options is false",
  ],
];

describe.skipIf(!peers.available).each(clients)('a BullMQ queue on a %s client its caller connected (a one-shot command)', (_name, connect, offline) => {
  let redis: RunningRedis | undefined;
  let client: OneShotClient | undefined;
  afterEach(async () => {
    client?.close();
    await redis?.stop();
    [client, redis] = [undefined, undefined];
  });

  it('sends every lane over that one connection, past ten lanes with no listener leak, and leaves it open when it closes', async () => {
    redis = await startRedis();
    client = await connect(redis);
    const warnings: string[] = [];
    const hear = (warning: Error) => void warnings.push(warning.message);
    process.on('warning', hear);
    try {
      const queue = createBullMqQueue({ connection: client.connection });
      const lanes = Array.from({ length: 11 }, (_, index) => queue.lane(`mirror.dc${index}`, lane));
      expect(await lanes[0]?.add('job-1', job)).toBe(true);
      expect((await Promise.all(lanes.map((each) => each.list()))).flat().map((view) => [view.id, view.lane, view.state])).toEqual([['job-1', 'mirror.dc0', 'waiting']]);
      expect(await clientsOf(redis)).toBe(1);

      await queue.close();
      expect(await client.ping()).toBe('PONG');
      // a warning is emitted on the next tick
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', hear);
    }
  });

  it('leaves at most one listener of each event on the client however many queues are made on it and closed', async () => {
    redis = await startRedis();
    client = await connect(redis);
    const events = ['ready', 'error', 'end', 'reconnecting', 'close'];
    const before = events.map((event) => client?.listeners(event));
    const warnings: string[] = [];
    const hear = (warning: Error) => void warnings.push(warning.message);
    process.on('warning', hear);
    try {
      for (let index = 0; index < 11; index++) {
        const queue = createBullMqQueue({ connection: client.connection });
        expect(await queue.lane('mirror.dc2', lane).list()).toEqual([]);
        await queue.close();
      }
      // a warning is emitted on the next tick
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
      events.forEach((event, index) => expect(client?.listeners(event)).toBeLessThanOrEqual((before[index] ?? 0) + 1));
    } finally {
      process.off('warning', hear);
    }
  });

  it('refuses to work jobs with a ReplicationConfigError: a worker needs connections that wait for Redis', async () => {
    redis = await startRedis();
    client = await connect(redis);
    const queue = createBullMqQueue({ connection: client.connection });
    const working = queue.lane('mirror.dc2', lane).work(async () => ({ outcome: 'copied' }));
    await expect(working).rejects.toBeInstanceOf(ReplicationConfigError);
    await expect(working).rejects.toThrow('a queue on a connection passed in only looks at jobs: a worker needs the connections createBullMqQueue({ redisUrl }) opens, which wait for Redis');
    await queue.close();
  });

  it('fails a query at once, instead of waiting for Redis, once the connection is lost', async () => {
    const running = (redis = await startRedis());
    client = await connect(running);
    const queue = createBullMqQueue({ connection: client.connection });
    const dc2 = queue.lane('mirror.dc2', lane);
    expect(await dc2.list()).toEqual([]);

    await running.stop();
    redis = undefined;
    await client.lost;
    await expect(dc2.list()).rejects.toThrow(offline);
    await queue.close();
  });

  it('fails a query at once, instead of waiting for Redis, on a queue made while the connection is lost', async () => {
    const running = (redis = await startRedis());
    client = await connect(running);
    await running.stop();
    redis = undefined;
    await client.lost;

    const queue = createBullMqQueue({ connection: client.connection });
    await expect(queue.lane('mirror.dc2', lane).list()).rejects.toThrow(offline);
    await queue.close();
  });

  it('answers on a lane first used while the connection was lost, once the client is back', async () => {
    const running = (redis = await startRedis());
    client = await connect(running);
    const queue = createBullMqQueue({ connection: client.connection });
    const back = client.nextReady();
    const restarted = running.restart();
    await client.lost;
    const dc2 = queue.lane('mirror.dc2', lane);
    await expect(dc2.list()).rejects.toThrow(offline);

    await restarted;
    await back;
    expect(await client.ping()).toBe('PONG');
    expect(await dc2.list()).toEqual([]);
    expect(await dc2.add('job-1', job)).toBe(true);
    await queue.close();
    expect(await client.ping()).toBe('PONG');
  });

  it('leaves the client to report its own errors once the queue is closed (vitest fails on an unhandled error event)', async () => {
    const running = (redis = await startRedis());
    client = await connect(running);
    const queue = createBullMqQueue({ connection: client.connection });
    expect(await queue.lane('mirror.dc2', lane).list()).toEqual([]);
    await queue.close();

    const reported = client.nextError();
    await running.stop();
    redis = undefined;
    expect(await reported).toBeInstanceOf(Error);
    // the client's error reaches every listener in the same emit, the last ones included
    await new Promise((resolve) => setImmediate(resolve));
  });
});

describe.skipIf(!peers.available)('a BullMQ queue on an ioredis client handed over still connecting', () => {
  it('waits for that first connection and answers, as BullMQ does on its own', async () => {
    const running = await startRedis();
    const early = new Redis(running.url, { enableOfflineQueue: false });
    early.on('error', () => undefined);
    try {
      const queue = createBullMqQueue({ connection: early });
      const dc2 = queue.lane('mirror.dc2', lane);
      expect(await dc2.list()).toEqual([]);
      await queue.close();
      expect(await early.ping()).toBe('PONG');
    } finally {
      early.disconnect();
      await running.stop();
    }
  });

  it('waits for it once however many lanes ask at once (as jobs() does): past ten lanes, no listener leak', async () => {
    const running = await startRedis();
    const early = new Redis(running.url, { enableOfflineQueue: false });
    early.on('error', () => undefined);
    const warnings: string[] = [];
    const hear = (warning: Error) => void warnings.push(warning.message);
    process.on('warning', hear);
    try {
      const queue = createBullMqQueue({ connection: early });
      const lanes = Array.from({ length: 11 }, (_, index) => queue.lane(`mirror.dc${index}`, lane));
      expect((await Promise.all(lanes.map((each) => each.list()))).flat()).toEqual([]);
      await queue.close();
      // a warning is emitted on the next tick
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', hear);
      early.disconnect();
      await running.stop();
    }
  });

  it("fails with the connection's error once that first connection fails, not waiting for later ones", async () => {
    // port 1 is surely closed, not one a Redis just stopped released for any process to take
    const early = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, retryStrategy: () => 50 });
    early.on('error', () => undefined);
    try {
      const queue = createBullMqQueue({ connection: early });
      const dc2 = queue.lane('mirror.dc2', lane);
      await expect(dc2.list()).rejects.toThrow('ECONNREFUSED');
      await queue.close();
    } finally {
      early.disconnect();
    }
  });
});

describe('a BullMQ queue on an ioredis client with a keyPrefix', () => {
  it('refuses it with a ReplicationConfigError when made, not on each lane\'s first call', () => {
    const prefixed = new Redis({ keyPrefix: 'app:', lazyConnect: true });
    expect(() => createBullMqQueue({ connection: prefixed })).toThrow(ReplicationConfigError);
  });
});

describe('a BullMQ queue on a client neither node-redis nor ioredis', () => {
  it("hands it to BullMQ as it is, which tells what it is (here Bun's client): not wrapped as if it were node-redis", async () => {
    const sent: string[] = [];
    // the shape of Bun's RedisClient, as BullMQ tells it (`send` and `connected`), refusing every command
    const bunLike = {
      connected: true,
      async send(command: string): Promise<never> {
        sent.push(command);
        throw new Error('this Redis refuses every command');
      },
      connect: async () => undefined,
      disconnect: () => undefined,
      close: () => undefined,
      duplicate: () => bunLike,
    };
    const queue = createBullMqQueue({ connection: bunLike });
    await expect(queue.lane('mirror.dc2', lane).list()).rejects.toThrow('this Redis refuses every command');
    expect(sent.length).toBeGreaterThan(0);
    await queue.close();
  });
});
