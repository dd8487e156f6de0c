import type { Queued } from './claims.js';
import type { Hold, LoopErrorHandler } from './loop-types.js';
import { ignore, keepShape } from './keep-shape.js';
import { DeliveryRunner } from './run-delivery.js';
import { Semaphore } from './semaphore.js';

interface RepositoryQueuesOptions {
  /** The consumer's slots: at most `concurrency` events run at once, across partitions. */
  slots: Semaphore;
  runner: DeliveryRunner;
  reportError: LoopErrorHandler;
  hold: Hold;
  signal: AbortSignal;
  /** The number of entries queued at which the feed is woken to read more. */
  refillAt: number;
}

const INERT_REPOSITORY_QUEUES_OPTIONS: RepositoryQueuesOptions = {
  slots: Semaphore.inert,
  runner: DeliveryRunner.inert,
  reportError: ignore,
  hold: ignore,
  signal: new AbortController().signal,
  refillAt: 0,
};

/**
 * One partition's entries, queued per repository and run in order: a repository's events one after
 * another, different repositories side by side within the consumer's slots. A class, not closures
 * per partition worker: its methods are one function for every worker, so their optimized code
 * (which inlines the runner's) is compiled once, not again for each start and each partition.
 */
export class RepositoryQueues {
  static {
    keepShape(new RepositoryQueues(INERT_REPOSITORY_QUEUES_OPTIONS));
  }
  // per repository, its entries in order: the first is running or next
  readonly #queues = new Map<string, Queued[]>();
  #queued = 0;
  #freed: (() => void) | undefined = undefined;
  readonly #slots: Semaphore;
  readonly #runner: DeliveryRunner;
  readonly #reportError: LoopErrorHandler;
  readonly #hold: Hold;
  readonly #signal: AbortSignal;
  readonly #refillAt: number;

  constructor({ slots, runner, reportError, hold, signal, refillAt }: RepositoryQueuesOptions) {
    this.#slots = slots;
    this.#runner = runner;
    this.#reportError = reportError;
    this.#hold = hold;
    this.#signal = signal;
    this.#refillAt = refillAt;
  }

  /** Queues an entry behind its repository's, running it at once if its repository had none. */
  enqueue(entry: Queued): void {
    this.#queued++;
    const { repository } = entry.delivery.record;
    const queue = this.#queues.get(repository);
    if (queue) {
      queue.push(entry);
      return;
    }
    const fresh = [entry];
    this.#queues.set(repository, fresh);
    this.#drain(repository, fresh);
  }

  /** Entries queued and not finished, running ones included. */
  get queued(): number {
    return this.#queued;
  }

  /** Resolves once an entry finishes with at most `refillAt` queued, or at a stop. */
  room(): Promise<void> {
    const signal = this.#signal;
    return new Promise<void>((resolve) => {
      // once: events finishing before the feed resumes find nothing more to wake
      const wake = () => {
        this.#freed = undefined;
        signal.removeEventListener('abort', wake);
        resolve();
      };
      this.#freed = wake;
      signal.addEventListener('abort', wake, { once: true });
    });
  }

  /** The queues a stop or a lost partition left behind, with their entries. */
  left(): Iterable<Queued[]> {
    return this.#queues.values();
  }

  /**
   * Runs a repository's queue from its head, one event after another, in this turn for as long as
   * each finishes at once, in one slot (events that finish at once never run side by side); parks
   * (held where a stop finds it) on a slot or an event that does not, and goes on from there.
   */
  #drain(repository: string, queue: Queued[], holdsSlot = false): void {
    const signal = this.#signal;
    while (queue.length > 0 && !signal.aborted) {
      if (!holdsSlot) {
        const wait = this.#slots.acquire();
        if (wait) return this.#hold(wait.then(() => this.#drain(repository, queue, true)));
        holdsSlot = true;
      }
      const entry = queue[0] as Queued;
      let unsettled: void | Promise<void> = undefined;
      try {
        unsettled = this.#runner.run(entry, signal);
      } catch (error) {
        this.#reportError(error, entry.delivery);
      }
      // the slot stays taken while the event runs, and is given up once it settles: other repositories' turn
      if (unsettled) return this.#hold(this.#drainLater(repository, queue, unsettled));
      this.#dequeue(queue);
    }
    if (holdsSlot) this.#slots.release();
    // a queue a stop left behind keeps its entries: the partition worker gives their claims taken ahead back
    if (queue.length === 0) this.#queues.delete(repository);
  }

  /**
   * Goes on with a queue whose head's run has not settled: as `#drain`, but awaiting, in one
   * async run (one wait held for a stop) for as long as its events keep not finishing at once, instead of
   * a wait and a hand-over of its own per event. After each such event the slot is given up (other repositories'
   * turn) and taken again; an event that finishes at once keeps it.
   */
  async #drainLater(repository: string, queue: Queued[], unsettled: Promise<void>): Promise<void> {
    const signal = this.#signal;
    const slots = this.#slots;
    let pending: void | Promise<void> = unsettled;
    for (;;) {
      if (pending) {
        try {
          await pending;
        } catch (error) {
          this.#reportError(error, queue[0]?.delivery);
        }
        this.#dequeue(queue);
        slots.release();
        if (queue.length === 0 || signal.aborted) break;
        const wait = slots.acquire();
        if (wait) await wait;
        if (signal.aborted) {
          slots.release();
          break;
        }
      } else {
        this.#dequeue(queue);
        if (queue.length === 0 || signal.aborted) {
          slots.release();
          break;
        }
      }
      const entry = queue[0] as Queued;
      pending = undefined;
      try {
        pending = this.#runner.run(entry, signal);
      } catch (error) {
        this.#reportError(error, entry.delivery);
      }
    }
    // as in `#drain`: a queue a stop left behind keeps its entries
    if (queue.length === 0) this.#queues.delete(repository);
  }

  #dequeue(queue: Queued[]): void {
    queue.shift();
    if (--this.#queued <= this.#refillAt) this.#freed?.();
  }
}
