import { describe, expect, it } from 'vitest';
import { createMemoryLog, createRedisLog, type RelayLog } from '../src/index.js';
import { describeLogContract, LogContractError } from '../src/testing.js';
import { freshStream, redisPeer, useRedis } from './helpers.js';

describeLogContract('memory log', { describe, it }, async ({ partitions }) => ({ log: createMemoryLog({ partitions }) }));

describe.skipIf(!redisPeer.available)('on a real redis-server', () => {
  const started = useRedis();
  describeLogContract('redis log', { describe, it }, async ({ partitions }) => ({ log: createRedisLog({ client: started.client, stream: freshStream(), partitions }) }));
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
