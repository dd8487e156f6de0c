import { sleep } from '@regevents/registry-client';
import type { Claims } from './claims.js';
import type { ConsumerSettings } from './consumer-settings.js';
import type { Delivery, RelayLog } from './log.js';
import type { Persist } from './log-retry.js';
import type { ConsumerCounters, Hold, LoopErrorHandler } from './loop-types.js';
import { RepositoryQueues } from './repository-queues.js';
import type { DeliveryRunner } from './run-delivery.js';
import type { Semaphore } from './semaphore.js';

interface PartitionWorkerOptions {
  log: RelayLog;
  group: string;
  settings: Pick<ConsumerSettings, 'concurrency' | 'name' | 'start' | 'pollMs'>;
  counters: ConsumerCounters;
  slots: Semaphore;
  runner: DeliveryRunner;
  claims: Claims;
  persist: Persist;
  reportError: LoopErrorHandler;
  hold: Hold;
}

/**
 * The work on one partition while this consumer holds it: first what was pending in the group
 * (taken over), then new entries, read ahead of the handlers and claimed a batch at a time.
 * Answers `work(partition, signal)`, which ends once `signal` aborts and gives back what it had queued.
 */
export function createPartitionWorker({ log, group, settings, counters, slots, runner, claims, persist, reportError, hold }: PartitionWorkerOptions) {
  // entries read ahead, and the level that asks for more: a read of half of them, with the other
  // half left to run while it and its claim are on their way: fewer, larger reads, claims and
  // acknowledgements than a smaller read-ahead refilled sooner would send.
  // An entry waits behind up to this many of its partition, about 64 handler times: with handlers
  // slower than leaseMs / 128 (117 ms at the default 15 s) its claim taken ahead is renewed when it
  // runs, slower than leaseMs / 64 (234 ms) it has lapsed by then. Both cost one claim command
  // per turn, as a claim at dispatch would, and nothing else: a lapsed claim is taken again
  // with its token (claims.ts's `#freshOrRenewed`; the log answers `claimed` for a lapsed claim, `done` if
  // it was handled meanwhile), and nobody else can claim it meanwhile, since its entry is pending
  // to this consumer and taken over only once the partition moved, when its worker stops and
  // gives the claims taken ahead back (`releaseAhead`, there too).
  const prefetch = settings.concurrency * 64;
  const refillAt = prefetch / 2;
  // a read and a page taken over hold at most this many (and so do the claims of what they bring)
  const largestBatch = Math.min(1000, prefetch);
  // A backlog's first batches start at two per slot and grow fourfold up to `largestBatch`: no
  // handler runs before its batch is read, decoded and claimed, so a first read of 1000 entries held
  // every handler back for as long as all three took, where a small one starts them at once while
  // the larger reads behind it come in. Fourfold, not twofold: a fresh group's record of handled
  // events is a small Redis hash (a listpack, up to 512 entries on Redis 7) that a claim scans
  // linearly once per key, so fewer, larger claims over a backlog's first events scan it fewer times.
  // Starts again from there after a read found the log caught up.
  const firstBatch = Math.min(largestBatch, settings.concurrency * 2);

  /** A log that lost its data (Redis restarted without persistence) lost the group too: it is created again, from `start`. */
  async function readOrRecreate(partition: number, count: number): Promise<Delivery[]> {
    try {
      return await log.read(group, settings.name, partition, count);
    } catch (error) {
      await log.createGroup(group, settings.start).catch(() => undefined);
      throw error;
    }
  }

  return async function work(partition: number, signal: AbortSignal): Promise<void> {
    const queues = new RepositoryQueues({ slots, runner, reportError, hold, signal, refillAt });

    /** First what was pending in the group, then new entries, each batch claimed as it comes. */
    async function feed(): Promise<void> {
      let size = firstBatch;
      const grow = () => void (size = Math.min(largestBatch, size * 4));
      let cursor = '0-0';
      do {
        const page = await persist(() => log.claim(group, settings.name, partition, cursor, size), signal);
        if (!page) return;
        // a page may bring nothing and still have more to scan: XAUTOCLAIM answers entries the
        // stream trimmed (retention) as deleted, not as deliveries. Nothing pending at all leaves
        // the reads' ramp where it starts.
        if (page.deliveries.length > 0 || page.cursor !== '0-0') grow();
        for (const entry of claims.claimAhead(partition, page.deliveries)) {
          counters.redeliveries++;
          queues.enqueue(entry);
        }
        cursor = page.cursor;
      } while (cursor !== '0-0' && !signal.aborted);

      while (!signal.aborted) {
        // reads of many entries, not one per finished event
        if (queues.queued > refillAt) {
          await queues.room();
          continue;
        }
        const asked = Math.min(size, prefetch - queues.queued);
        const batch = await persist(() => readOrRecreate(partition, asked), signal);
        if (!batch) return;
        // fewer than asked: the log is caught up (under steady load that read is seldom empty), so
        // the next backlog starts small again
        if (batch.length < asked) size = firstBatch;
        else grow();
        if (batch.length === 0) await sleep(settings.pollMs, signal);
        for (const entry of claims.claimAhead(partition, batch)) queues.enqueue(entry);
      }
    }

    try {
      await feed();
    } finally {
      claims.releaseAhead(queues.left());
    }
  };
}
