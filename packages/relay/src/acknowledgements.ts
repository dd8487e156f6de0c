import type { RelayLog } from './log.js';
import type { Persist, PersistOptions } from './log-retry.js';
import { TurnBatcher } from './loop-turns.js';
import type { LoopErrorHandler, Track } from './loop-types.js';
import { ignore, INERT_LOG, INERT_PERSIST, keepShape } from './keep-shape.js';

/** Positions to acknowledge in one partition, and the keys of those handled to record as such. */
interface AckBatch {
  positions: string[];
  keys: string[];
}

/** The longest wait between attempts at acknowledgements the log refused. */
const ACK_RETRY_CAP_MS = 5_000;

interface AcknowledgementsOptions {
  log: RelayLog;
  group: string;
  /** How long the group remembers a handled event's key. */
  dedupeTtlMs: number;
  persist: Persist;
  track: Track;
  reportError: LoopErrorHandler;
  /** The signal of the consumer's current run: a stop gives up refused acknowledgements. */
  stopSignal: () => AbortSignal;
}

const INERT_ACKNOWLEDGEMENTS_OPTIONS: AcknowledgementsOptions = {
  log: INERT_LOG,
  group: '',
  dedupeTtlMs: 0,
  persist: INERT_PERSIST,
  track: ignore,
  reportError: ignore,
  stopSignal: () => AbortSignal.abort(),
};

/**
 * A group's acknowledgements: per partition, those of a turn go as one command, and those the log
 * refused are retried as one until they go in or the consumer stops. A class, not closures per
 * consumer, as `DeliveryRunner` (run-delivery.ts).
 */
export class Acknowledgements {
  /** The kept one (keep-shape.ts), a part of other classes' kept ones too. */
  static readonly inert: Acknowledgements = keepShape(new Acknowledgements(INERT_ACKNOWLEDGEMENTS_OPTIONS));
  readonly #log: RelayLog;
  readonly #group: string;
  readonly #dedupeTtlMs: number;
  readonly #persist: Persist;
  readonly #track: Track;
  readonly #reportError: LoopErrorHandler;
  readonly #stopSignal: () => AbortSignal;
  // the acknowledgements of each partition's events that finished in this turn, and the keys to record handled
  readonly #turnAcks: TurnBatcher<AckBatch, void>;
  // per partition, the acknowledgements the log refused, waiting for their next attempt
  readonly #refused = new Map<number, { pending: AckBatch }>();

  constructor({ log, group, dedupeTtlMs, persist, track, reportError, stopSignal }: AcknowledgementsOptions) {
    this.#log = log;
    this.#group = group;
    this.#dedupeTtlMs = dedupeTtlMs;
    this.#persist = persist;
    this.#track = track;
    this.#reportError = reportError;
    this.#stopSignal = stopSignal;
    this.#turnAcks = new TurnBatcher(
      (): AckBatch => ({ positions: [], keys: [] }),
      (partition, batch) => log.ack(group, partition, batch.positions, { keys: batch.keys, ttlMs: dedupeTtlMs }).catch((error: unknown) => this.#retryRefused(partition, batch, error)),
      // tracked from its first acknowledgement: a stop waits for the acknowledgement of what finished before it
      ({ sent }) => track(sent)
    );
  }

  /**
   * Acknowledges the delivery at `position` (recording `handled` as the group's handled key) with
   * the others of its partition and turn, in one command. One the log refuses joins its partition's
   * refused acknowledgements, retried as one until they go in or the consumer stops, also after the
   * partition went elsewhere (see `#retryRefused`).
   */
  acknowledge(partition: number, position: string, handled: string | undefined): void {
    // while the partition has refused acknowledgements, new ones wait with them: one retry, not one per turn
    const open = this.#refused.get(partition)?.pending ?? this.#turnAcks.batch(partition).gathered;
    open.positions.push(position);
    if (handled !== undefined) open.keys.push(handled);
  }

  /**
   * Gathers an acknowledgement the log refused with the others of its partition and retries them as
   * one command, backing off from `pollMs x 5` (at most 1 s) to `ACK_RETRY_CAP_MS`, reporting the
   * error once per streak of failures: a Redis outage costs a few attempts, not one per batch per
   * turn. Held only for what was handled here; given up when the consumer stops. While the event's
   * claim is live, a new owner of the partition finds it in flight and waits, so an ack failure
   * shorter than the claim does not make it run again; once the claim lapses (`leaseMs` after it
   * was taken or renewed) the new owner runs it again: at least once.
   */
  #retryRefused(partition: number, batch: AckBatch, error: unknown): void {
    const waiting = this.#refused.get(partition);
    if (waiting) {
      for (const position of batch.positions) waiting.pending.positions.push(position);
      for (const key of batch.keys) waiting.pending.keys.push(key);
      return;
    }
    this.#reportError(error);
    // the batch is this retry's alone: its turn took it out of `#turnAcks` before it was sent
    const retry = { pending: batch };
    this.#refused.set(partition, retry);
    const signal = this.#stopSignal();
    this.#track(
      (async () => {
        // the refusal that started this retry was reported and is paused for; once an attempt went in,
        // what joined meanwhile goes at once (the log just answered), and its next failure is reported
        for (let afterRefusal = true; retry.pending.positions.length > 0; afterRefusal = false) {
          const options: PersistOptions = { capMs: ACK_RETRY_CAP_MS, afterFailure: afterRefusal, report: afterRefusal ? 'none' : 'first' };
          if ((await this.#persist(() => this.#ackPending(partition, retry), signal, options)) === undefined) break;
        }
        this.#refused.delete(partition);
      })()
    );
  }

  /** Sends a partition's refused acknowledgements as one: what is refused while it is out joins the next attempt, and a failure puts these back in front. */
  async #ackPending(partition: number, retry: { pending: AckBatch }): Promise<true> {
    const { positions, keys } = retry.pending;
    retry.pending = { positions: [], keys: [] };
    try {
      await this.#log.ack(this.#group, partition, positions, { keys, ttlMs: this.#dedupeTtlMs });
      return true;
    } catch (failure) {
      retry.pending = { positions: [...positions, ...retry.pending.positions], keys: [...keys, ...retry.pending.keys] };
      throw failure;
    }
  }
}
