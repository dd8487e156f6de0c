import { describe, expect, it } from 'vitest';
import { createMemoryLog, createRedisLog, type Delivery, type RelayLog } from '../src/index.js';
import { createConsumerLoop } from '../src/consumer-loop.js';
import { consumerSettings, type ConsumerOptions } from '../src/consumer-settings.js';
import type { Outcome } from '../src/loop-types.js';
import { repositoriesPerPartition, sampleRecord } from '../src/testing.js';
import { freshStream, redisPeer, sleep, until, useRedis } from './helpers.js';

type Handler = (delivery: Delivery) => Promise<void> | void;

const handled: Outcome = { result: 'handled' };

function loop(log: RelayLog, handler: Handler, options: ConsumerOptions = {}, group = 'g') {
  const errors: unknown[] = [];
  // what the consumer's dispatch does: run the handlers (the loop claims, records and acknowledges),
  // answering at once when they do
  const handle = (delivery: Delivery): Outcome | Promise<Outcome> => {
    let running: Promise<void> | void;
    try {
      running = handler(delivery);
    } catch (error) {
      return { result: 'failed', error };
    }
    if (!(running instanceof Promise)) return handled;
    return running.then(
      () => handled,
      (error: unknown) => ({ result: 'failed', error })
    );
  };
  const consumer = createConsumerLoop(log, group, consumerSettings({ pollMs: 10, retryDelay: 10, leaseMs: 1_000, ...options }), handle, (error) => void errors.push(error));
  return Object.assign(consumer, { errors });
}

const idOf = (delivery: Delivery) => (delivery.record.event as { id: string }).id;

function describeLoop(name: string, createLog: (partitions?: number) => RelayLog): void {
  describe(`the consumer loop on the ${name}`, () => {
    it('handles every event once, in order within each repository, several repositories at once', async () => {
      const log = createLog(2);
      const repositories = ['a/one', 'b/two', 'c/three'];
      const appended: Record<string, string[]> = {};
      for (let i = 0; i < 30; i++) {
        const repository = repositories[i % 3] as string;
        const record = sampleRecord(repository);
        (appended[repository] ??= []).push((record.event as { id: string }).id);
        await log.append(record);
      }
      const seen: Record<string, string[]> = {};
      let running = 0;
      let overlapped = false;
      const consumer = loop(
        log,
        async (delivery) => {
          running++;
          if (running > 1) overlapped = true;
          await sleep(Math.random() * 5);
          (seen[delivery.record.repository] ??= []).push(idOf(delivery));
          running--;
        },
        { concurrency: 4 }
      );
      await consumer.start();
      await until(() => consumer.counters.handled === 30, 'all handled');
      await consumer.stop();
      expect(seen).toEqual(appended);
      expect(overlapped).toBe(true);
      expect(await log.groupStats('g')).toEqual({ lag: 0, pending: 0, deadLetters: 0 });
    });

    it('runs at most `concurrency` events at once across repositories, whether handlers answer at once or later', async () => {
      const log = createLog(1);
      for (let i = 0; i < 60; i++) await log.append(sampleRecord(`repo/${i % 6}`));
      let running = 0;
      let most = 0;
      const consumer = loop(
        log,
        (delivery) => {
          running++;
          most = Math.max(most, running);
          // every other repository's handler answers at once
          if (Number(delivery.record.repository.slice(-1)) % 2 === 0) {
            running--;
            return;
          }
          return sleep(2).then(() => void running--);
        },
        { concurrency: 2 }
      );
      await consumer.start();
      await until(() => consumer.counters.handled === 60, 'all handled');
      await consumer.stop();
      expect(most).toBe(2);
    });

    it('keeps a repository in order when its handlers answer now at once, now later', async () => {
      const log = createLog(1);
      const appended: Record<string, string[]> = {};
      for (let i = 0; i < 40; i++) {
        const record = sampleRecord(`repo/${i % 2}`);
        (appended[record.repository] ??= []).push((record.event as { id: string }).id);
        await log.append(record);
      }
      const seen: Record<string, string[]> = {};
      let calls = 0;
      const consumer = loop(
        log,
        (delivery) => {
          // every third event answers later, the others at once: both kinds in each repository's queue
          const later = calls++ % 3 === 0;
          const record = () => void (seen[delivery.record.repository] ??= []).push(idOf(delivery));
          if (!later) return record();
          return sleep(Math.random() * 3).then(record);
        },
        { concurrency: 2 }
      );
      await consumer.start();
      await until(() => consumer.counters.handled === 40, 'all handled');
      await consumer.stop();
      expect(seen).toEqual(appended);
    });

    it('dead-letters an event after maxAttempts without holding up other repositories, and keeps its repository in order', async () => {
      const log = createLog();
      await log.append(sampleRecord('broken', 'poison'));
      await log.append(sampleRecord('broken', 'after-poison'));
      for (let i = 0; i < 5; i++) await log.append(sampleRecord('healthy', `h${i}`));
      const order: string[] = [];
      const attempts: Record<string, number> = {};
      const consumer = loop(
        log,
        (delivery) => {
          const id = idOf(delivery);
          attempts[id] = (attempts[id] ?? 0) + 1;
          if (id === 'poison') throw new Error('always fails');
          order.push(id);
        },
        { concurrency: 2, maxAttempts: 3, retryDelay: 50 }
      );
      await consumer.start();
      await until(() => consumer.counters.deadLettered === 1 && consumer.counters.handled === 6, 'poison dead-lettered');
      await consumer.stop();
      expect(attempts.poison).toBe(3);
      // the healthy repository was done while the poison event was still being retried
      expect(order.indexOf('h4')).toBeLessThan(order.indexOf('after-poison'));
      expect(order.filter((id) => id.startsWith('h'))).toEqual(['h0', 'h1', 'h2', 'h3', 'h4']);
      const [letter] = await log.listDeadLetters('g', 10);
      expect([letter?.record.key, letter?.attempts, letter?.error]).toEqual(['distribution:poison', 3, 'Error: always fails']);
      expect(consumer.counters).toMatchObject({ failed: 3, redeliveries: 2, deadLettered: 1 });
    });

    it('takes over what a dead consumer left pending once its lease lapses, in order', async () => {
      const log = createLog();
      await log.createGroup('g', 'beginning');
      for (let i = 0; i < 4; i++) await log.append(sampleRecord('r', `e${i}`));
      // a consumer that leased the partition, took two events and died
      expect(await log.lease('g', 'dead', 300)).toEqual([0]);
      expect((await log.read('g', 'dead', 0, 2)).length).toBe(2);
      const seen: string[] = [];
      const heir = loop(log, (delivery) => void seen.push(idOf(delivery)), { leaseMs: 150 });
      const started = Date.now();
      await heir.start();
      await until(() => seen.length === 4, 'the heir handled everything');
      await heir.stop();
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(seen).toEqual(['e0', 'e1', 'e2', 'e3']);
      expect(heir.counters.redeliveries).toBe(2);
    });

    it('start() takes the leases once: the heartbeat renews them a third of a lease later, not at once beside the first read', async () => {
      const base = createLog();
      await base.append(sampleRecord('r'));
      let leases = 0;
      const log: RelayLog = { ...base, lease: (...args) => (leases++, base.lease(...args)) };
      const consumer = loop(log, () => undefined, { leaseMs: 60_000 });
      await consumer.start();
      await until(() => consumer.counters.handled === 1, 'the event handled');
      await consumer.stop();
      expect(leases).toBe(1);
    });

    it('a start() whose lease the log refused leaves the loop stopped: the next start() takes the leases and runs', async () => {
      const base = createLog();
      await base.append(sampleRecord('r'));
      let leases = 0;
      const log: RelayLog = { ...base, lease: (...args) => (++leases === 1 ? Promise.reject(new Error('lease refused')) : base.lease(...args)) };
      const consumer = loop(log, () => undefined);
      await expect(consumer.start()).rejects.toThrow('lease refused');
      expect(consumer.running).toBe(false);
      await consumer.start();
      expect(leases).toBe(2);
      await until(() => consumer.counters.handled === 1, 'the event handled');
      await consumer.stop();
    });

    // concurrency 4: reads of at most 256 (64 per slot); the first ones now 8, 32, 128
    it("a backlog's first events run before the rest of its first batch is read: reads start at two per slot and grow fourfold, and start so again once the log was caught up", async () => {
      const base = createLog();
      const backlog = async () => {
        for (let i = 0; i < 300; i++) await base.append(sampleRecord(`repo/${i % 10}`));
      };
      await backlog();
      const sizes: number[] = [];
      let read = 0;
      let emptyReads = 0;
      const log: RelayLog = {
        ...base,
        read: async (group, consumer, partition, count) => {
          const batch = await base.read(group, consumer, partition, count);
          if (batch.length > 0) sizes.push(count);
          else emptyReads++;
          read += batch.length;
          return batch;
        },
      };
      let readBeforeFirst: number | undefined;
      const consumer = loop(log, () => void (readBeforeFirst ??= read), { concurrency: 4 });
      await consumer.start();
      await until(() => consumer.counters.handled === 300 && emptyReads > 0, 'the backlog handled and the log caught up');
      // a first read of 256 ran no handler before all 256 were in
      expect(readBeforeFirst).toBeLessThan(256);
      expect(sizes.slice(0, 3)).toEqual([8, 32, 128]);
      const caughtUp = sizes.length;
      await backlog();
      await until(() => consumer.counters.handled === 600, 'the second backlog handled');
      await consumer.stop();
      expect(sizes[caughtUp]).toBe(8);
    });

    it('starts small again after a read brought fewer entries than it asked for, not only after an empty one: under steady load a burst is read from two per slot', async () => {
      const base = createLog();
      for (let i = 0; i < 300; i++) await base.append(sampleRecord(`repo/${i % 10}`));
      // steady load: one new entry before every read, so no read comes back empty
      let burstAt: number | undefined;
      let burstRead: number | undefined;
      let reads = 0;
      const log: RelayLog = {
        ...base,
        read: async (group, consumer, partition, count) => {
          reads++;
          if (burstAt !== undefined && burstRead === undefined && reads > burstAt) {
            for (let i = 0; i < 300; i++) await base.append(sampleRecord(`repo/${i % 10}`));
            burstRead = count;
          } else await base.append(sampleRecord('steady'));
          // a read that takes a while, as on Redis: a read that never comes back empty answering in the same turn would never let the test's timers run
          await sleep(1);
          return base.read(group, consumer, partition, count);
        },
      };
      const consumer = loop(log, () => undefined, { concurrency: 4 });
      await consumer.start();
      await until(() => consumer.counters.handled >= 320, 'the backlog handled, the steady entries coming one a read');
      burstAt = reads;
      await until(() => burstRead !== undefined && consumer.counters.handled >= 620, 'the burst handled');
      await consumer.stop();
      expect(burstRead).toBe(8);
    });

    it('takes over what a dead consumer left pending the same way: its first page brings two per slot, and the first of them run before the rest is taken', async () => {
      const base = createLog();
      await base.createGroup('g', 'beginning');
      for (let i = 0; i < 300; i++) await base.append(sampleRecord(`repo/${i % 10}`));
      expect(await base.lease('g', 'dead', 200)).toEqual([0]);
      expect((await base.read('g', 'dead', 0, 300)).length).toBe(300);
      const sizes: number[] = [];
      let taken = 0;
      const log: RelayLog = {
        ...base,
        claim: async (group, consumer, partition, cursor, count) => {
          const page = await base.claim(group, consumer, partition, cursor, count);
          sizes.push(count);
          taken += page.deliveries.length;
          return page;
        },
      };
      let takenBeforeFirst: number | undefined;
      const heir = loop(log, () => void (takenBeforeFirst ??= taken), { concurrency: 4, leaseMs: 150 });
      await heir.start();
      await until(() => heir.counters.handled === 300, 'all handled');
      await heir.stop();
      expect(takenBeforeFirst).toBeLessThan(256);
      expect(sizes.slice(0, 3)).toEqual([8, 32, 128]);
      expect(heir.counters.redeliveries).toBe(300);
    });

    it('stop() lets the running handler finish and be acknowledged; what was queued stays for the next consumer', async () => {
      const log = createLog();
      for (let i = 0; i < 5; i++) await log.append(sampleRecord('r', `s${i}`));
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      const first: string[] = [];
      const consumer = loop(log, async (delivery) => {
        first.push(idOf(delivery));
        await gate;
      });
      await consumer.start();
      await until(() => first.length === 1, 'the first handler started');
      const stopped = consumer.stop();
      await sleep(50);
      release();
      await stopped;
      expect(first).toEqual(['s0']);
      expect(await log.groupStats('g')).toMatchObject({ lag: 0, pending: 4 });
      // the handled one is recorded; the claims taken with the batch for the queued ones were given up, not left to lapse
      const keys = ['s0', 's1', 's2', 's3', 's4'].map((id) => sampleRecord('r', id).key);
      const claims = await log.claimEvents('g', 0, keys.map((key) => ({ key })), 1_000);
      expect(claims.map((claim) => claim.status)).toEqual(['done', 'claimed', 'claimed', 'claimed', 'claimed']);
      for (const [index, claim] of claims.entries()) if (claim.status === 'claimed') await log.releaseEvent('g', 0, keys[index] as string, claim.token);
      const next: string[] = [];
      const successor = loop(log, (delivery) => void next.push(idOf(delivery)));
      await successor.start();
      await until(() => next.length === 4, 'the successor handled the rest');
      await successor.stop();
      expect(next).toEqual(['s1', 's2', 's3', 's4']);
    });

    it("an entry the group skips (another group's retry) keeps no claim its read took on the event", async () => {
      const log = createLog();
      const original = sampleRecord('r', 'retried');
      await log.append({ ...original, retry: { group: 'other', deadLetter: '1-0' } });
      await log.append(sampleRecord('r', 'after'));
      const seen: string[] = [];
      const consumer = loop(log, (delivery) => void seen.push(idOf(delivery)));
      await consumer.start();
      await until(async () => seen.length === 1 && (await log.groupStats('g')).pending === 0, 'the group went past the skipped entry');
      await consumer.stop();
      expect(seen).toEqual(['after']);
      // free for the group's own retry of the event, not held until a lease lapses
      expect((await log.claimEvents('g', 0, [{ key: original.key }], 1_000))[0]?.status).toBe('claimed');
    });

    it('runs each event once when the claims taken ahead with its read lapse before its turn (slow handlers): they are taken again with their token', async () => {
      const base = createLog();
      let renewals = 0;
      const log: RelayLog = {
        ...base,
        claimEvents: (group, partition, claims, leaseMs) => {
          renewals += claims.filter((claim) => claim.token !== undefined).length;
          return base.claimEvents(group, partition, claims, leaseMs);
        },
      };
      const appended: string[] = [];
      for (let i = 0; i < 16; i++) {
        const record = sampleRecord('r');
        appended.push((record.event as { id: string }).id);
        await base.append(record);
      }
      const seen: string[] = [];
      // one repository, one at a time: the last entry of the read waits 16 x 40 ms, past the 300 ms lease
      const consumer = loop(
        log,
        async (delivery) => {
          await sleep(40);
          seen.push(idOf(delivery));
        },
        { leaseMs: 300 }
      );
      await consumer.start();
      await until(() => consumer.counters.handled === appended.length, 'all handled');
      await consumer.stop();
      expect(seen).toEqual(appended);
      expect(renewals).toBeGreaterThan(0);
      expect(consumer.counters).toMatchObject({ redeliveries: 0, duplicates: 0, failed: 0 });
      expect(consumer.errors).toEqual([]);
      expect(await base.groupStats('g')).toEqual({ lag: 0, pending: 0, deadLetters: 0 });
    });

    it('two consumers of one group share the partitions and handle each event once', async () => {
      const log = createLog(4);
      const repositories = repositoriesPerPartition(4);
      for (let i = 0; i < 40; i++) await log.append(sampleRecord(repositories[i % 4] as string));
      const handledBy = new Map<string, string[]>();
      const make = (name: string) =>
        loop(
          log,
          async (delivery) => {
            await sleep(5);
            handledBy.set(idOf(delivery), [...(handledBy.get(idOf(delivery)) ?? []), name]);
          },
          { name, leaseMs: 300 }
        );
      const a = make('a');
      const b = make('b');
      await a.start();
      await b.start();
      await until(() => handledBy.size === 40, 'all handled');
      await Promise.all([a.stop(), b.stop()]);
      expect([...handledBy.values()].every((names) => names.length === 1)).toBe(true);
      expect(new Set([...handledBy.values()].flat())).toEqual(new Set(['a', 'b']));
    });
  });
}

describeLoop('memory log', (partitions) => createMemoryLog({ partitions }));

describe('the consumer loop when the log fails', () => {
  it('keeps acknowledging a handled event after its partition went elsewhere, until the log takes it (the record that it was handled is not given up)', async () => {
    const log = createMemoryLog();
    let acksRefused = 0;
    let refuseAcks = true;
    let lost = false;
    let leasesAfterLoss = 0;
    const failing: RelayLog = {
      ...log,
      ack: (...args) => (refuseAcks ? Promise.reject(new Error(`ack refused (${++acksRefused})`)) : log.ack(...args)),
      lease: async (...args) => {
        if (!lost) return log.lease(...args);
        leasesAfterLoss++;
        return [];
      },
    };
    const record = sampleRecord('r', 'handled-once');
    await log.append(record);
    const seen: string[] = [];
    const consumer = loop(failing, (delivery) => void seen.push(idOf(delivery)), { leaseMs: 150 });
    await consumer.start();
    await until(() => seen.length === 1 && acksRefused >= 1, 'handled, its acknowledgement refused');
    // the heartbeat finds the partition gone: its worker stops, the acknowledgement is still owed
    lost = true;
    await until(() => leasesAfterLoss >= 2, 'the partition was lost');
    refuseAcks = false;
    await until(async () => (await log.groupStats('g')).pending === 0, 'the acknowledgement went in');
    await consumer.stop();
    expect((await log.claimEvents('g', 0, [{ key: record.key }], 1_000))[0]?.status).toBe('done');
  });
  it('sends what joined the retry of a refused acknowledgement as soon as that retry went in, without another pause', async () => {
    const log = createMemoryLog();
    let attempts = 0;
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const failing: RelayLog = {
      ...log,
      ack: async (...args) => {
        attempts++;
        if (attempts === 1) throw new Error('ack refused');
        // the retry is out while the next event is handled: its acknowledgement joins the retry's pending list
        if (attempts === 2) await gate;
        return log.ack(...args);
      },
    };
    await log.append(sampleRecord('r/one'));
    // pollMs 200: a retry pauses min(1 s, 5 x pollMs) = 1 s after a refusal
    const consumer = loop(failing, () => undefined, { pollMs: 200 });
    await consumer.start();
    await until(() => attempts === 2, 'the refused acknowledgement is retried');
    await log.append(sampleRecord('r/two'));
    await until(() => consumer.counters.handled === 2, 'the second event handled while the retry is out');
    const released = performance.now();
    openGate();
    await until(async () => (await log.groupStats('g')).pending === 0, 'both acknowledged');
    const waited = performance.now() - released;
    await consumer.stop();
    expect(attempts).toBe(3);
    // well under the retry's 1 s pause: the log had just answered
    expect(waited).toBeLessThan(600);
  });

  it('gathers refused acknowledgements of a partition into one retry that backs off, reporting the failure once, until they go in', async () => {
    const log = createMemoryLog();
    let attempts = 0;
    let refuseAcks = true;
    const failing: RelayLog = {
      ...log,
      ack: (...args) => {
        attempts++;
        return refuseAcks ? Promise.reject(new Error('ack refused')) : log.ack(...args);
      },
    };
    const records = Array.from({ length: 200 }, (_, i) => sampleRecord(`r${i % 20}`));
    for (const record of records) await log.append(record);
    // handlers finishing over many turns: one batch of acknowledgements per turn
    const consumer = loop(failing, () => sleep(1 + Math.random() * 2), { concurrency: 16, pollMs: 5 });
    await consumer.start();
    await until(() => consumer.counters.handled === records.length, 'all handled');
    await sleep(600);
    const refusedAttempts = attempts;
    refuseAcks = false;
    await until(async () => (await log.groupStats('g')).pending === 0, 'the acknowledgements went in');
    await consumer.stop();
    // one attempt per turn until the first refusal, then retries at 25, 50, 100, … ms: not one per batch every 25 ms
    expect(refusedAttempts).toBeLessThan(20);
    expect(consumer.errors).toHaveLength(1);
    const answers = await log.claimEvents('g', 0, records.map((record) => ({ key: record.key })), 1_000);
    expect(answers.every((answer) => answer.status === 'done')).toBe(true);
  });
});

describe.skipIf(!redisPeer.available)('on a real redis-server', () => {
  const started = useRedis();
  it('goes on after Redis restarts without persistence (log, group and leases gone)', async () => {
    const log = createRedisLog({ client: started.client, stream: freshStream() });
    const seen: string[] = [];
    const consumer = loop(log, (delivery) => void seen.push(idOf(delivery)), { leaseMs: 300 });
    await consumer.start();
    await log.append(sampleRecord('r', 'before'));
    await until(() => seen.length === 1, 'the first event');
    await started.redis.restart();
    await until(async () => (await log.append(sampleRecord('r', 'after')).catch(() => undefined)) !== undefined, 'Redis back');
    await until(() => seen.length === 2, 'the event after the restart');
    await consumer.stop();
    expect(seen).toEqual(['before', 'after']);
    expect(consumer.errors.length).toBeGreaterThan(0);
  });
  it('takes over a pending list the stream trimmed (retention) in pages that grow as over one it kept: XAUTOCLAIM answers trimmed entries as deleted, not delivered', async () => {
    const stream = freshStream();
    const base = createRedisLog({ client: started.client, stream });
    await base.createGroup('g', 'beginning');
    for (let i = 0; i < 2_000; i++) await base.append(sampleRecord(`repo/${i % 10}`));
    expect(await base.lease('g', 'dead', 200)).toEqual([0]);
    expect((await base.read('g', 'dead', 0, 2_000)).length).toBe(2_000);
    // retention trimmed every entry the dead consumer left pending
    await started.client.sendCommand(['XTRIM', `{${stream}:0}`, 'MAXLEN', '0']);
    let claims = 0;
    const log: RelayLog = { ...base, claim: (...args) => (claims++, base.claim(...args)) };
    const seen: string[] = [];
    // concurrency 1: pages of 2, 8, 32, then 64 (the largest batch); a page of 2 throughout took 1000 calls
    const heir = loop(log, (delivery) => void seen.push(idOf(delivery)), { concurrency: 1, leaseMs: 150 });
    await heir.start();
    await base.append(sampleRecord('r', 'after-trim'));
    await until(() => seen.length === 1, 'the entry after the trim handled', 20_000);
    await heir.stop();
    expect(seen).toEqual(['after-trim']);
    expect(claims).toBeLessThan(60);
  }, 60_000);
  describeLoop('redis log', (partitions) => createRedisLog({ client: started.client, stream: freshStream(), partitions }));
});
