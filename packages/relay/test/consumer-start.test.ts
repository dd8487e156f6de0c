import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { createConsumer } from '../src/consumer.js';
import { createMemoryLog, createRedisLog, type RelayLog } from '../src/index.js';
import { sampleRecord } from '../src/testing.js';
import { freshStream, redisPeer, until, useRedis } from './helpers.js';

const PARTITIONS = 4;
const EVERY_PARTITION = [0, 1, 2, 3];
// long enough that no heartbeat renews a lease while a test runs: every lease call counted is a start()'s
const LEASE_MS = 60_000;

type HeldMethod = 'createGroup' | 'lease';

/** A member `name` of group `g` that writes down the id of every event it handles in `seen`; on event `heldId` its handler waits for `held`, then writes down `<id> finished`. */
function member(log: RelayLog, name: string, seen: string[], { heldId, held }: { heldId?: string; held?: Promise<void> } = {}) {
  return createConsumer(log, 'g', { name, pollMs: 10, leaseMs: LEASE_MS }, () => undefined).on('push', async (event) => {
    seen.push(event.id);
    if (event.id !== heldId) return;
    await held;
    seen.push(`${event.id} finished`);
  });
}

/** A promise and what settles it (Promise.withResolvers needs Node 22). */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => undefined as void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

/**
 * The log as one consumer sees it: every call counted, and the next call of a held method kept
 * waiting (`reached` once it came) until `letGo()`.
 */
function watchedLog(base: RelayLog) {
  const calls = { all: 0, createGroup: 0, lease: 0, releaseLeases: 0 };
  let held:
    | {
        method: HeldMethod;
        reached: ReturnType<typeof signal>;
        gate: ReturnType<typeof signal>;
      }
    | undefined;
  const log = new Proxy(base, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        calls.all++;
        if (key === 'createGroup' || key === 'lease' || key === 'releaseLeases') calls[key]++;
        const hold = held?.method === key ? held : undefined;
        if (hold) {
          held = undefined;
          hold.reached.resolve();
          await hold.gate.promise;
        }
        return (value as (...passed: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  function holdNext(method: HeldMethod) {
    const hold = { method, reached: signal(), gate: signal() };
    held = hold;
    return { reached: hold.reached.promise, letGo: hold.gate.resolve };
  }
  return { log, calls, holdNext };
}

function describeStartStop(name: string, createLog: () => RelayLog): void {
  describe(`a consumer's start() and stop() on the ${name}`, () => {
    /** Every partition is free: a newcomer to the group gets them all at once. */
    async function expectNoLeaseLeft(base: RelayLog): Promise<void> {
      expect(await base.lease('g', 'newcomer', LEASE_MS)).toEqual(EVERY_PARTITION);
      await base.releaseLeases('g', 'newcomer');
    }

    /** The consumer's loop is gone: an event appended now is handled by another member, and the stopped one's log saw no call since. */
    async function expectNoLoopLeft(base: RelayLog, calls: { all: number }, seenByStopped: string[]): Promise<void> {
      const callsAtStop = calls.all;
      await base.append(sampleRecord('after/stop', 'after-stop'));
      const seenByHeir: string[] = [];
      const heir = member(base, 'heir', seenByHeir);
      await heir.start();
      await until(() => seenByHeir.includes('after-stop'), 'the heir handled the event appended after the stop');
      await heir.stop();
      expect(seenByStopped).not.toContain('after-stop');
      expect(calls.all).toBe(callsAtStop);
    }

    it('two start() calls at once run one loop: the group is created once, the leases taken once, each event handled once', async () => {
      const base = createLog();
      await base.append(sampleRecord('r', 'first'));
      const { log, calls } = watchedLog(base);
      const seen: string[] = [];
      const consumer = member(log, 'one', seen);
      await Promise.all([consumer.start(), consumer.start()]);
      await until(() => seen.length === 1, 'the event handled');
      expect(calls.createGroup).toBe(1);
      expect(calls.lease).toBe(1);
      await consumer.stop();
      expect(seen).toEqual(['first']);
      await expectNoLeaseLeft(base);
      await expectNoLoopLeft(base, calls, seen);
    });

    for (const method of ['createGroup', 'lease'] as const) {
      it(`a stop() while start() awaits ${method} leaves no lease and no loop once it resolves`, async () => {
        const base = createLog();
        // the Redis log hashes its scripts once, asynchronously: done now, a release goes out in the turn it is asked for
        await base.createGroup('g', 'beginning');
        await base.releaseLeases('g', 'nobody');
        const { log, calls, holdNext } = watchedLog(base);
        const seen: string[] = [];
        const consumer = member(log, 'one', seen);
        const held = holdNext(method);
        const starting = consumer.start();
        await held.reached;
        const stopping = consumer.stop();
        // a stop() that does not wait for the start gets to its release in microtasks: one turn of the event loop lets it send that first
        await new Promise((resolve) => setImmediate(resolve));
        held.letGo();
        await starting;
        await stopping;
        await expectNoLeaseLeft(base);
        await expectNoLoopLeft(base, calls, seen);
      });
    }

    it('a start() after a stop() that waited on a start() runs again: calls take effect in the order made', async () => {
      const base = createLog();
      const { log, calls, holdNext } = watchedLog(base);
      const seen: string[] = [];
      const consumer = member(log, 'one', seen);
      const held = holdNext('lease');
      const transitions = [consumer.start()];
      await held.reached;
      transitions.push(consumer.stop(), consumer.start());
      held.letGo();
      await Promise.all(transitions);
      expect(calls.lease).toBe(2);
      await base.append(sampleRecord('r', 'while-running'));
      await until(() => seen.includes('while-running'), 'the restarted consumer handled the event');
      await consumer.stop();
      await expectNoLeaseLeft(base);
    });

    /** A member started with event `slow` in its handler until `letGo()`: a stop() now drains that handler. */
    async function memberHandlingSlowly(base: RelayLog) {
      const { log, calls } = watchedLog(base);
      await base.append(sampleRecord('r', 'slow'));
      const gate = signal();
      const seen: string[] = [];
      const consumer = member(log, 'one', seen, { heldId: 'slow', held: gate.promise });
      await consumer.start();
      await until(() => seen.includes('slow'), 'the handler took the slow event');
      return { consumer, calls, seen, letGo: gate.resolve };
    }

    it('a start() while a stop() drains a handler runs once that stop is done: an event appended after is handled', async () => {
      const base = createLog();
      const { consumer, seen, letGo } = await memberHandlingSlowly(base);
      const stopping = consumer.stop();
      const starting = consumer.start();
      letGo();
      await stopping;
      await starting;
      await base.append(sampleRecord('r', 'after-restart'));
      await until(() => seen.includes('after-restart'), 'the restarted consumer handled the event appended after the stop');
      await consumer.stop();
      await expectNoLeaseLeft(base);
    });

    it('two stop() calls at once share one run: both wait for the handler, the leases are released once', async () => {
      const base = createLog();
      const { consumer, calls, seen, letGo } = await memberHandlingSlowly(base);
      const stops = [consumer.stop(), consumer.stop()].map((stopping) => stopping.then(() => seen.includes('slow finished')));
      letGo();
      expect(await Promise.all(stops)).toEqual([true, true]);
      expect(calls.releaseLeases).toBe(1);
      await expectNoLeaseLeft(base);
    });

    it('a start() whose lease was refused leaves the next start() free to run', async () => {
      const base = createLog();
      await base.append(sampleRecord('r', 'first'));
      let leases = 0;
      const log: RelayLog = {
        ...base,
        lease: (...args) => (++leases === 1 ? Promise.reject(new Error('lease refused')) : base.lease(...args)),
      };
      const seen: string[] = [];
      const consumer = member(log, 'one', seen);
      await expect(consumer.start()).rejects.toThrow('lease refused');
      await consumer.start();
      await until(() => seen.length === 1, 'the event handled');
      await consumer.stop();
      expect(leases).toBe(2);
    });
  });
}

describeStartStop('memory log', () => createMemoryLog({ partitions: PARTITIONS }));

describe.skipIf(!redisPeer.available)('on a real redis-server', () => {
  const started = useRedis();
  describeStartStop('redis log', () =>
    createRedisLog({
      client: started.client,
      stream: freshStream(),
      partitions: PARTITIONS,
    })
  );
});

describe.skipIf(!redisPeer.available)('on a redis-server that stops answering', () => {
  const started = useRedis();

  it("a stop() waiting for a start() stuck on it ends with the start once the client gives up on its socket, as the README says", async () => {
    const client = createClient({ url: started.redis.url, socket: { socketTimeout: 300 } });
    client.on('error', () => undefined);
    await client.connect();
    const consumer = createConsumer(createRedisLog({ client, stream: freshStream(), partitions: PARTITIONS }), 'g', { name: 'a', pollMs: 10, leaseMs: LEASE_MS }, () => undefined);
    const pid = started.redis.pid as number;
    // SIGSTOP: the server still accepts connections (the kernel's backlog) and never answers
    process.kill(pid, 'SIGSTOP');
    try {
      const [starting, stopping] = await Promise.allSettled([consumer.start(), consumer.stop()]);
      expect(starting.status).toBe('rejected');
      expect(String((starting as PromiseRejectedResult).reason)).toMatch(/timeout/i);
      expect(stopping.status).not.toBe('pending');
    } finally {
      process.kill(pid, 'SIGCONT');
      if (client.isOpen) client.destroy();
    }
  });
});
