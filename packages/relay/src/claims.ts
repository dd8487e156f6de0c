import type { ClaimResult } from '@regevents/webhooks';
import type { Delivery, RelayLog } from './log.js';
import type { Persist } from './log-retry.js';
import { TurnBatcher } from './loop-turns.js';
import type { LoopErrorHandler, Track } from './loop-types.js';
import { ignore, INERT_LOG, INERT_PERSIST, keepShape } from './keep-shape.js';

/** The claims of one batch, asked for at `at` as it was read: `results` once the answer is in (undefined after a failure). */
interface AheadBatch {
  results: ClaimResult[] | undefined;
  settled: Promise<void>;
  at: number;
}

/** An entry waiting for its turn in its repository's queue, with the claim its batch took ahead for it (until it is used or given back). */
export interface Queued {
  delivery: Delivery;
  ahead: AheadBatch | undefined;
  /** Its place in `ahead`'s claims; read only with `ahead` (0 without one, so every entry has one shape). */
  index: number;
}

interface ClaimsOptions {
  log: RelayLog;
  group: string;
  /** How long a claim holds its event. */
  leaseMs: number;
  persist: Persist;
  track: Track;
  reportError: LoopErrorHandler;
}

const INERT_CLAIMS_OPTIONS: ClaimsOptions = { log: INERT_LOG, group: '', leaseMs: 0, persist: INERT_PERSIST, track: ignore, reportError: ignore };

/**
 * A group's claims on the events it runs, in its record of handled events: each batch read or
 * taken over is claimed ahead with one command as it comes, an event whose claim taken ahead is
 * spent or stale is claimed (or renewed) with the others of its turn, and claims that will not run
 * here are given back. A class, not closures per consumer, as `DeliveryRunner` (run-delivery.ts).
 */
export class Claims {
  /** The kept one (keep-shape.ts), a part of other classes' kept ones too. */
  static readonly inert: Claims = keepShape(new Claims(INERT_CLAIMS_OPTIONS));
  readonly #log: RelayLog;
  readonly #group: string;
  readonly #leaseMs: number;
  readonly #persist: Persist;
  readonly #track: Track;
  readonly #reportError: LoopErrorHandler;
  readonly #claimsOfTurn: TurnBatcher<{ key: string; token?: string }[], ClaimResult[]>;

  constructor({ log, group, leaseMs, persist, track, reportError }: ClaimsOptions) {
    this.#log = log;
    this.#group = group;
    this.#leaseMs = leaseMs;
    this.#persist = persist;
    this.#track = track;
    this.#reportError = reportError;
    this.#claimsOfTurn = new TurnBatcher(
      (): { key: string; token?: string }[] => [],
      (partition, claims) => log.claimEvents(group, partition, claims, leaseMs)
    );
  }

  /** Entries of one batch the group must run (not another group's retry, not an event reconciliation dispatched already). */
  runsHere(delivery: Delivery): boolean {
    return !delivery.record.reconciled && (delivery.record.retry === undefined || delivery.record.retry.group === this.#group);
  }

  /**
   * The entries of a batch just read or taken over, queued with the claims of those that run here,
   * taken for the whole batch with one command sent at once; each uses its answer when it runs.
   */
  claimAhead(partition: number, deliveries: readonly Delivery[]): Queued[] {
    const claims: { key: string }[] = [];
    const taken: AheadBatch = { results: undefined, settled: Promise.resolve(), at: performance.now() };
    const queued = deliveries.map((delivery): Queued => {
      if (!this.runsHere(delivery)) return { delivery, ahead: undefined, index: 0 };
      return { delivery, ahead: taken, index: claims.push({ key: delivery.record.key }) - 1 };
    });
    // a failed batch claim is claimed again, one by one, when each event runs
    if (claims.length > 0) {
      taken.settled = this.#log.claimEvents(this.#group, partition, claims, this.#leaseMs).then(
        (results) => void (taken.results = results),
        () => undefined
      );
    }
    return queued;
  }

  /**
   * The entry's claim: the one taken ahead with its batch while it is fresh (renewed when older
   * than half the lease), else one now. No promise once the batch's answer is in and fresh.
   */
  claimFor(entry: Queued, signal: AbortSignal): ClaimResult | Promise<ClaimResult | undefined> {
    const { delivery, ahead: early, index } = entry;
    if (!early) return this.claimNow(delivery, undefined, signal);
    entry.ahead = undefined;
    // waits only while the batch's answer is not in
    if (early.results === undefined) return early.settled.then(() => this.#freshOrRenewed(delivery, early, index, signal));
    return this.#freshOrRenewed(delivery, early, index, signal);
  }

  #freshOrRenewed(delivery: Delivery, batch: AheadBatch, index: number, signal: AbortSignal): ClaimResult | Promise<ClaimResult | undefined> {
    const taken = batch.results?.[index];
    if (taken && (taken.status !== 'claimed' || performance.now() - batch.at < this.#leaseMs / 2)) return taken;
    return this.claimNow(delivery, taken?.status === 'claimed' ? taken.token : undefined, signal);
  }

  /** Claims (or with `token`, renews) the delivery's event with the others of its turn. */
  claimNow(delivery: Delivery, token: string | undefined, signal: AbortSignal): Promise<ClaimResult | undefined> {
    return this.#persist(async () => {
      const { gathered, sent } = this.#claimsOfTurn.batch(delivery.partition);
      const index = gathered.push({ key: delivery.record.key, token }) - 1;
      return (await sent)[index];
    }, signal);
  }

  /** Gives up a claim that will not run here (its handlers failed, a stop, a lost partition). */
  giveBack(delivery: Delivery, token: string): Promise<void> {
    return this.#log.releaseEvent(this.#group, delivery.partition, delivery.record.key, token).catch((error: unknown) => this.#reportError(error, delivery));
  }

  /** Gives up the claims taken ahead for queued entries that will not run here now (a stop, a lost partition). */
  releaseAhead(queues: Iterable<Queued[]>): void {
    for (const queue of queues) {
      for (const entry of queue) {
        const { delivery, ahead: batch, index } = entry;
        if (!batch) continue;
        entry.ahead = undefined;
        this.#track(
          batch.settled.then(() => {
            const taken = batch.results?.[index];
            return taken?.status === 'claimed' ? this.giveBack(delivery, taken.token) : undefined;
          })
        );
      }
    }
  }
}
