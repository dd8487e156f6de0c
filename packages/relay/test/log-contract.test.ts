import { describe, expect, it } from 'vitest';
import { createMemoryLog, createRedisLog, type RelayLog } from '../src/index.js';
import { describeLogContract, LogContractError, sampleRecord } from '../src/testing.js';
import { freshStream, redisPeer, useRedis } from './helpers.js';

describeLogContract('memory log', { describe, it }, async ({ partitions }) => ({ log: createMemoryLog({ partitions }) }));

describe.skipIf(!redisPeer.available)('on a real redis-server', () => {
  const started = useRedis();
  describeLogContract('redis log', { describe, it }, async ({ partitions }) => ({ log: createRedisLog({ client: started.client, stream: freshStream(), partitions }) }));

  it("keeps a group's record of handled events in one hash per partition, and later acknowledgements sweep out what lapsed", async () => {
    const stream = freshStream();
    const log = createRedisLog({ client: started.client, stream });
    await log.createGroup('g', 'beginning');
    const handled = `{${stream}:0}:handled:g`;
    const ackBatch = async (prefix: string, ttlMs: number) => {
      for (let i = 0; i < 20; i++) await log.append(sampleRecord('sweep/app', `${prefix}-${i}`));
      const read = await log.read('g', 'c', 0, 20, { leaseMs: 1_000 });
      await log.ack('g', 0, read.map((delivery) => delivery.position), { keys: read.map((delivery) => delivery.record.key), ttlMs });
    };
    await ackBatch('short', 20);
    expect(Number(await started.client.sendCommand(['HLEN', handled]))).toBe(20);
    expect(await started.client.sendCommand(['KEYS', `{${stream}:0}:done:*`])).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await ackBatch('long', 60_000);
    const left = (await started.client.sendCommand(['HKEYS', handled])) as string[];
    expect(left.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `distribution:long-${i}`).sort());
    expect(Number(await started.client.sendCommand(['PTTL', handled]))).toBeGreaterThan(50_000);
  });
});

describe('the contract suite', () => {
  /** Runs the suite's tests against `log` outside vitest, and returns the titles that failed. */
  async function failures(makeLog: (partitions: number) => RelayLog): Promise<string[]> {
    const tests: [string, () => Promise<void>][] = [];
    describeLogContract('probe', { describe: (_name, body) => body(), it: (title, body) => void tests.push([title, body]) }, async ({ partitions }) => ({ log: makeLog(partitions) }));
    const failed: string[] = [];
    for (const [title, body] of tests) await body().catch((error: unknown) => failed.push(`${title}: ${error instanceof LogContractError ? 'contract' : String(error)}`));
    return failed;
  }

  it('fails a log that appends a redelivered event twice, and one that hands an entry out twice', async () => {
    expect(await failures((partitions) => createMemoryLog({ partitions }))).toEqual([]);
    const appendsTwice = await failures((partitions) => {
      const log = createMemoryLog({ partitions });
      let n = 0;
      return { ...log, append: (record) => log.append({ ...record, key: `${record.key}#${++n}` }) };
    });
    expect(appendsTwice).toContain('appends each key once, in order, and a duplicate answers the first position: contract');
    const readsTwice = await failures((partitions) => {
      const log = createMemoryLog({ partitions });
      return { ...log, read: async (group, consumer, partition, count) => [...(await log.range(partition, { from: '-', to: '+', count }))].map((entry) => ({ ...entry, failures: 0 })) };
    });
    expect(readsTwice.length).toBeGreaterThan(0);
  });
});
