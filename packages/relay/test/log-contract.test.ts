import { describe, expect, it } from 'vitest';
import { createMemoryLog, createRedisLog, type RelayLog } from '../src/index.js';
import { describeLogContract, LogContractError, sampleRecord } from '../src/testing.js';
import { ACK, CLAIM } from '../src/redis-scripts.js';
import { freshStream, redisPeer, sleep, useRedis } from './helpers.js';

describeLogContract('memory log', { describe, it }, async ({ partitions }) => ({ log: createMemoryLog({ partitions }) }));

describe.skipIf(!redisPeer.available)('on a real redis-server', () => {
  const started = useRedis();
  describeLogContract('redis log', { describe, it }, async ({ partitions }) => ({ log: createRedisLog({ client: started.client, stream: freshStream(), partitions }) }));

  it('its claim and ack scripts take an empty batch without a call to Redis (which refuses a command with no arguments)', async () => {
    const stream = freshStream();
    const handled = [`{${stream}:0}:handled:g`, `{${stream}:0}:handled:g:previous`];
    await createRedisLog({ client: started.client, stream }).createGroup('g', 'beginning');
    expect(await started.client.sendCommand(['EVAL', CLAIM, '2', ...handled, '1000', 'token', '0'])).toBe('');
    expect(await started.client.sendCommand(['EVAL', ACK, '4', ...handled, `{${stream}:0}`, `{${stream}:0}:failures:g`, 'g', '1000', '0'])).toBe(1);
  });

  it("keeps a group's record of handled events in two generations of one hash per partition: what lapsed leaves with its generation, what holds is still found", async () => {
    const stream = freshStream();
    const log = createRedisLog({ client: started.client, stream });
    await log.createGroup('g', 'beginning');
    const handled = `{${stream}:0}:handled:g`;
    const previous = `${handled}:previous`;
    // what lapses lives this long: more than a handling of 8300 keys takes on a busy machine (at 200 ms one failed the check that it was still there)
    const LAPSE_MS = 1_000;
    const keysOf = async (hash: string) => ((await started.client.sendCommand(['HKEYS', hash])) as string[]).sort();
    // a generation is made previous once it holds 8192 entries; sent a thousand at a time, as a consumer's batches are at most
    const named = (prefix: string) => Array.from({ length: 8300 }, (_, i) => ({ key: `distribution:${prefix}-${i}` }));
    const sorted = (claims: { key: string }[]) => claims.map((claim) => claim.key).sort();
    const inThousands = (claims: { key: string }[]) => Array.from({ length: Math.ceil(claims.length / 1000) }, (_, i) => claims.slice(i * 1000, (i + 1) * 1000));
    const handle = async (claims: { key: string }[], leaseMs: number, ttlMs: number) => {
      for (const part of inThousands(claims)) await log.claimEvents('g', 0, part, leaseMs);
      for (const part of inThousands(claims)) await log.ack('g', 0, part.map((_, i) => `1-${i}`), { keys: part.map((claim) => claim.key), ttlMs });
    };
    const small = named('small').slice(0, 20);
    await handle(small, LAPSE_MS, LAPSE_MS);
    expect(await keysOf(handled)).toEqual(sorted(small));
    expect(await started.client.sendCommand(['EXISTS', previous]), 'a small record stays one generation').toBe(0);
    await sleep(LAPSE_MS + 100);
    // the claims went to the previous generation (there was none), the records of the acknowledgement to the current one
    const short = named('short');
    await handle(short, LAPSE_MS, LAPSE_MS);
    expect(await keysOf(handled)).toEqual(sorted(short));
    expect(await keysOf(previous)).toEqual(sorted(short));
    expect(await started.client.sendCommand(['KEYS', `{${stream}:0}:done:*`])).toEqual([]);
    // both generations lapse with their last entries: nothing is left of the short batch, its keys are free
    await sleep(LAPSE_MS + 100);
    expect(await started.client.sendCommand(['EXISTS', handled, previous])).toBe(0);
    for (const part of inThousands(short)) expect((await log.claimEvents('g', 0, part, LAPSE_MS)).map((claim) => claim.status)).toEqual(part.map(() => 'claimed'));
    await sleep(LAPSE_MS + 100);
    const long = named('long');
    await handle(long, LAPSE_MS, 60_000);
    expect(await keysOf(handled)).toEqual(sorted(long));
    expect(Number(await started.client.sendCommand(['PTTL', handled]))).toBeGreaterThan(50_000);
    // once the previous generation (the long batch's claims) has lapsed, the next write makes the current one previous: still found done
    await sleep(LAPSE_MS + 100);
    expect(await started.client.sendCommand(['EXISTS', previous])).toBe(0);
    const next = named('next');
    await handle(next, 1_000, 60_000);
    expect(await keysOf(previous)).toEqual(sorted(long));
    expect(await keysOf(handled)).toEqual(sorted(next));
    for (const part of inThousands(long)) expect((await log.claimEvents('g', 0, part, 1_000)).map((claim) => claim.status)).toEqual(part.map(() => 'done'));
  }, 30_000);
});

describe.skipIf(!redisPeer.available)('the previous generation of the handled record, seeded on a real redis-server', () => {
  const started = useRedis();

  async function seeded(entries: Record<string, string>) {
    const stream = freshStream();
    const log = createRedisLog({ client: started.client, stream });
    await log.createGroup('g', 'beginning');
    const previous = `{${stream}:0}:handled:g:previous`;
    const lapses = String(Date.now() + 60_000);
    await started.client.sendCommand(['HSET', previous, ...Object.entries(entries).flatMap(([key, holder]) => [key, `${lapses} ${holder}`])]);
    await started.client.sendCommand(['PEXPIRE', previous, '60000']);
    const statuses = async (...keys: string[]) => (await log.claimEvents('g', 0, keys.map((key) => ({ key })), 1_000)).map((claim) => claim.status);
    return { log, statuses };
  }

  it("another consumer's claim there is in flight and a handled event done; its holder renews it, and only the holder's release frees it", async () => {
    const { log, statuses } = await seeded({ 'distribution:held': 'lease:theirs', 'distribution:done': 'done' });
    expect(await statuses('distribution:held', 'distribution:done')).toEqual(['in-flight', 'done']);
    const [renewed] = await log.claimEvents('g', 0, [{ key: 'distribution:held', token: 'lease:theirs' }], 60_000);
    expect(renewed).toEqual({ status: 'claimed', token: 'lease:theirs' });
    // the renewal sits in the current generation now, over the previous one's entry
    await log.releaseEvent('g', 0, 'distribution:held', 'lease:stranger');
    expect(await statuses('distribution:held')).toEqual(['in-flight']);
    await log.releaseEvent('g', 0, 'distribution:held', 'lease:theirs');
    expect(await statuses('distribution:held', 'distribution:done')).toEqual(['claimed', 'done']);
  });

  it("a claim only the previous generation holds is released from there by its holder, and by no one else", async () => {
    const { log, statuses } = await seeded({ 'distribution:old': 'lease:theirs' });
    await log.releaseEvent('g', 0, 'distribution:old', 'lease:stranger');
    expect(await statuses('distribution:old')).toEqual(['in-flight']);
    await log.releaseEvent('g', 0, 'distribution:old', 'lease:theirs');
    expect(await statuses('distribution:old')).toEqual(['claimed']);
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
