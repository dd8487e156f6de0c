import { requirePeers, startRedis, type RunningRedis } from '@regevents/registry-harness';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LaneClosedError } from '../src/index.js';
import { createBullMqQueue } from '../src/node.js';

/**
 * Every BullMQ Worker made (one made after its lane closed would hold its connections, and the
 * process, open), and a hook run once a queue set a lane's limits, the last step before its worker.
 */
const made = vi.hoisted(() => ({ workers: [] as { close(): Promise<void> }[], afterLimits: async () => undefined as unknown }));
vi.mock('bullmq', async (original) => {
  const bullmq = await original<typeof import('bullmq')>();
  class CountedWorker<Data, Result, Name extends string> extends bullmq.Worker<Data, Result, Name> {
    constructor(...args: ConstructorParameters<typeof bullmq.Worker<Data, Result, Name>>) {
      super(...args);
      made.workers.push(this);
    }
  }
  class HookedQueue<Data, Result, Name extends string> extends bullmq.Queue<Data, Result, Name> {
    override async removeGlobalRateLimit(): Promise<number> {
      const removed = await super.removeGlobalRateLimit();
      await made.afterLimits();
      return removed;
    }
  }
  return { ...bullmq, Worker: CountedWorker, Queue: HookedQueue };
});

const peers = requirePeers('redis-server');
const lane = { concurrency: 1, attempts: 3, backoffMs: 1000 };

describe.skipIf(!peers.available)('a BullMQ lane closed before or while a call waits for Redis', () => {
  let redis: RunningRedis | undefined;
  afterEach(async () => {
    await redis?.stop();
    await Promise.all(made.workers.map((worker) => worker.close()));
    redis = undefined;
    made.workers = [];
    made.afterLimits = async () => undefined;
  });

  it('refuses a work() still building its queue with a LaneClosedError, and makes no worker', async () => {
    redis = await startRedis();
    const queue = createBullMqQueue({ redisUrl: redis.url });
    const working = queue.lane('mirror.dc2', lane).work(async () => ({ outcome: 'copied' }));
    await queue.close();
    await expect(working).rejects.toBeInstanceOf(LaneClosedError);
    expect(made.workers).toEqual([]);
  });

  it('refuses a work() whose lane closed once its limits were set with a LaneClosedError, and makes no worker', async () => {
    redis = await startRedis();
    const queue = createBullMqQueue({ redisUrl: redis.url });
    made.afterLimits = () => queue.close();
    await expect(queue.lane('mirror.dc2', lane).work(async () => ({ outcome: 'copied' }))).rejects.toBeInstanceOf(LaneClosedError);
    expect(made.workers).toEqual([]);
  });

  it('refuses a call on a lane closed once its queue was ready with a LaneClosedError', async () => {
    redis = await startRedis();
    const queue = createBullMqQueue({ redisUrl: redis.url });
    const dc2 = queue.lane('mirror.dc2', lane);
    expect(await dc2.list()).toEqual([]);
    await queue.close();
    await expect(dc2.get('job-1')).rejects.toBeInstanceOf(LaneClosedError);
  });

  it('refuses a first call whose queue became ready once the lane closed with a LaneClosedError', async () => {
    redis = await startRedis();
    const queue = createBullMqQueue({ redisUrl: redis.url });
    const listing = queue.lane('mirror.dc2', lane).list();
    await queue.close();
    await expect(listing).rejects.toBeInstanceOf(LaneClosedError);
  });
});
