import type { Queued } from './claims.js';
import type { Hold, LoopErrorHandler } from './loop-types.js';
import type { RunDelivery } from './run-delivery.js';
import type { Semaphore } from './semaphore.js';

interface RepositoryQueuesOptions {
  /** The consumer's slots: at most `concurrency` events run at once, across partitions. */
  slots: Semaphore;
  run: RunDelivery;
  reportError: LoopErrorHandler;
  hold: Hold;
  signal: AbortSignal;
  /** The number of entries queued at which the feed is woken to read more. */
  refillAt: number;
}

/**
 * One partition's entries, queued per repository and run in order: a repository's events one after
 * another, different repositories side by side within the consumer's slots.
 */
export function createRepositoryQueues({ slots, run, reportError, hold, signal, refillAt }: RepositoryQueuesOptions) {
  // per repository, its entries in order: the first is running or next
  const queues = new Map<string, Queued[]>();
  let queued = 0;
  let freed: (() => void) | undefined;

  /**
   * Runs a repository's queue from its head, one event after another, in this turn for as long as
   * each finishes at once, in one slot (events that finish at once never run side by side); parks
   * (held where a stop finds it) on a slot or an event that does not, and goes on from there.
   */
  function drain(repository: string, queue: Queued[], holdsSlot = false): void {
    while (queue.length > 0 && !signal.aborted) {
      if (!holdsSlot) {
        const wait = slots.acquire();
        if (wait) return hold(wait.then(() => drain(repository, queue, true)));
        holdsSlot = true;
      }
      const entry = queue[0] as Queued;
      let unsettled: void | Promise<void> = undefined;
      try {
        unsettled = run(entry, signal);
      } catch (error) {
        reportError(error, entry.delivery);
      }
      // the slot stays taken while the event runs, and is given up once it settles: other repositories' turn
      if (unsettled) return hold(drainLater(repository, queue, unsettled));
      dequeue(queue);
    }
    if (holdsSlot) slots.release();
    // a queue a stop left behind keeps its entries: the partition worker gives their claims taken ahead back
    if (queue.length === 0) queues.delete(repository);
  }

  /**
   * Goes on with a queue whose head's run has not settled: as `drain`, but awaiting, in one
   * async run (one wait held for a stop) for as long as its events keep not finishing at once, instead of
   * a wait and a hand-over of its own per event. After each such event the slot is given up (other repositories'
   * turn) and taken again; an event that finishes at once keeps it.
   */
  async function drainLater(repository: string, queue: Queued[], unsettled: Promise<void>): Promise<void> {
    let pending: void | Promise<void> = unsettled;
    for (;;) {
      if (pending) {
        try {
          await pending;
        } catch (error) {
          reportError(error, queue[0]?.delivery);
        }
        dequeue(queue);
        slots.release();
        if (queue.length === 0 || signal.aborted) break;
        const wait = slots.acquire();
        if (wait) await wait;
        if (signal.aborted) {
          slots.release();
          break;
        }
      } else {
        dequeue(queue);
        if (queue.length === 0 || signal.aborted) {
          slots.release();
          break;
        }
      }
      const entry = queue[0] as Queued;
      pending = undefined;
      try {
        pending = run(entry, signal);
      } catch (error) {
        reportError(error, entry.delivery);
      }
    }
    // as in `drain`: a queue a stop left behind keeps its entries
    if (queue.length === 0) queues.delete(repository);
  }

  function dequeue(queue: Queued[]): void {
    queue.shift();
    if (--queued <= refillAt) freed?.();
  }

  return {
    /** Queues an entry behind its repository's, running it at once if its repository had none. */
    enqueue(entry: Queued): void {
      queued++;
      const { repository } = entry.delivery.record;
      const queue = queues.get(repository);
      if (queue) {
        queue.push(entry);
        return;
      }
      const fresh = [entry];
      queues.set(repository, fresh);
      drain(repository, fresh);
    },
    /** Entries queued and not finished, running ones included. */
    get queued(): number {
      return queued;
    },
    /** Resolves once an entry finishes with at most `refillAt` queued, or at a stop. */
    room(): Promise<void> {
      return new Promise<void>((resolve) => {
        // once: events finishing before the feed resumes find nothing more to wake
        const wake = () => {
          freed = undefined;
          signal.removeEventListener('abort', wake);
          resolve();
        };
        freed = wake;
        signal.addEventListener('abort', wake, { once: true });
      });
    },
    /** The queues a stop or a lost partition left behind, with their entries. */
    left: (): Iterable<Queued[]> => queues.values(),
  };
}
