import { sleep } from '@regevents/registry-client';
import { Acknowledgements } from './acknowledgements.js';
import { Claims } from './claims.js';
import type { ConsumerSettings } from './consumer-settings.js';
import type { RelayLog } from './log.js';
import { createPersist } from './log-retry.js';
import type { ConsumerCounters, DeliveryHandler, Hold, LoopErrorHandler, Track } from './loop-types.js';
import { keepShape } from './keep-shape.js';
import { createPartitionWorker } from './partition-worker.js';
import { DeliveryRunner } from './run-delivery.js';
import { Semaphore } from './semaphore.js';

// the shape of a partition worker's signal (one of `follow`'s), which the hot path checks (`signal.aborted`)
keepShape(AbortSignal.any([new AbortController().signal]));

/**
 * A group's work in one process: holds partition leases (heartbeat), takes over what dead
 * consumers left pending, reads new entries, and runs them with per-repository order, retries,
 * dead letters, and the group's record of handled events: a claim of the event's key before it
 * runs, its record as handled in the same step as its acknowledgement. Knows nothing of event
 * types: `handle` does the dispatch.
 */
export function createConsumerLoop(log: RelayLog, group: string, settings: ConsumerSettings, handle: DeliveryHandler, reportError: LoopErrorHandler) {
  const counters: ConsumerCounters = { handled: 0, failed: 0, redeliveries: 0, deadLettered: 0, duplicates: 0 };
  let stopping = new AbortController();
  let running = false;
  const workers = new Map<number, { abort: AbortController; done: Promise<void> }>();
  // the per-repository queues parked on an event that did not finish at once, or on a slot: a stop waits for them
  const busy = new Set<Promise<void>>();
  const acking = new Set<Promise<void>>();
  let heartbeat: Promise<void> | undefined;

  /** Log calls nobody awaits (acknowledgements, claims given back): a stop waits for them. */
  const track: Track = (work) => {
    acking.add(work);
    void work.finally(() => acking.delete(work));
  };

  /** Parked queues' waits: a stop finds them in `busy`. */
  const hold: Hold = (waiting) => {
    busy.add(waiting);
    const settled = () => void busy.delete(waiting);
    void waiting.then(settled, settled);
  };

  const persist = createPersist(settings.pollMs, reportError);
  const acknowledgements = new Acknowledgements({ log, group, dedupeTtlMs: settings.dedupeTtlMs, persist, track, reportError, stopSignal: () => stopping.signal });
  const claims = new Claims({ log, group, leaseMs: settings.leaseMs, persist, track, reportError });
  const runner = new DeliveryRunner({ log, group, settings, counters, handle, claims, acknowledgements, persist });
  const work = createPartitionWorker({ log, group, settings, counters, slots: new Semaphore(settings.concurrency), runner, claims, persist, reportError, hold });

  function follow(owned: readonly number[]): void {
    for (const [partition, worker] of workers) {
      if (owned.includes(partition)) continue;
      worker.abort.abort();
      workers.delete(partition);
    }
    for (const partition of owned) {
      if (workers.has(partition)) continue;
      const abort = new AbortController();
      const signal = AbortSignal.any([abort.signal, stopping.signal]);
      workers.set(partition, { abort, done: work(partition, signal) });
    }
  }

  /**
   * Renews the leases every third of a lease, the first a third of a lease after this call (start()
   * just took them: a renewal at once would only hold back its first read). `renewedAt`, when the
   * last renewal that went in was asked for, tells when a failing heartbeat may have let them lapse.
   */
  async function beat(signal: AbortSignal, renewedAt: number): Promise<void> {
    for (;;) {
      await sleep(settings.leaseMs / 3, signal);
      if (signal.aborted) return;
      const asked = Date.now();
      const owned = await log.lease(group, settings.name, settings.leaseMs).catch((error: unknown) => {
        reportError(error);
        return undefined;
      });
      if (owned) {
        renewedAt = asked;
        follow(owned);
      } else if (Date.now() - renewedAt >= settings.leaseMs) {
        // our leases may have lapsed: another consumer may hold these partitions now
        follow([]);
      }
    }
  }

  return {
    counters,
    get running() {
      return running;
    },
    async start(): Promise<void> {
      if (running) return;
      await log.createGroup(group, settings.start);
      stopping = new AbortController();
      running = true;
      const asked = Date.now();
      let owned: number[];
      try {
        owned = await log.lease(group, settings.name, settings.leaseMs);
      } catch (error) {
        // nothing started: a later start() tries again
        running = false;
        throw error;
      }
      follow(owned);
      heartbeat = beat(stopping.signal, asked);
    },
    /** Stops reading; events being handled finish, queued ones are released to the group. */
    async stop(): Promise<void> {
      if (!running) return;
      // handlers that are running finish and are acknowledged; waits for a retry end at once
      stopping.abort();
      await heartbeat;
      await Promise.allSettled([...workers.values()].map((worker) => worker.done));
      await Promise.allSettled([...busy]);
      await Promise.allSettled([...acking]);
      workers.clear();
      running = false;
      await log.releaseLeases(group, settings.name).catch((error: unknown) => reportError(error));
    },
  };
}
