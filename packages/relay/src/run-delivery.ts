import { sleep } from '@regevents/registry-client';
import type { ClaimResult } from '@regevents/webhooks';
import { Acknowledgements } from './acknowledgements.js';
import { Claims, type Queued } from './claims.js';
import type { ConsumerSettings } from './consumer-settings.js';
import type { Delivery, RelayLog } from './log.js';
import type { Persist } from './log-retry.js';
import type { ConsumerCounters, DeliveryHandler, Outcome } from './loop-types.js';
import { INERT_LOG, INERT_PERSIST, keepShape } from './keep-shape.js';

interface DeliveryRunnerOptions {
  log: RelayLog;
  group: string;
  settings: Pick<ConsumerSettings, 'maxAttempts' | 'delay' | 'leaseMs'>;
  counters: ConsumerCounters;
  handle: DeliveryHandler;
  claims: Claims;
  acknowledgements: Acknowledgements;
  persist: Persist;
}

const INERT_DELIVERY_RUNNER_OPTIONS: DeliveryRunnerOptions = {
  log: INERT_LOG,
  group: '',
  settings: { maxAttempts: 0, delay: () => 0, leaseMs: 0 },
  counters: { handled: 0, failed: 0, redeliveries: 0, deadLettered: 0, duplicates: 0 },
  handle: () => ({ result: 'handled' }),
  claims: Claims.inert,
  acknowledgements: Acknowledgements.inert,
  persist: INERT_PERSIST,
};

/**
 * Runs one delivery at a time to its end, with the group's record of handled events: a claim of
 * its event before the handlers run, the record of it as handled with its acknowledgement, a
 * failure recorded and retried after its delay, dead-lettered after `maxAttempts`. A class, not
 * closures per consumer: its methods are one function for every consumer, so the hot path's
 * optimized code (which inlines them) is compiled once and stays valid when that consumer is gone
 * and the next one runs. What is one consumer's (`#handle`, `#persist`, the claims' and
 * acknowledgements' `track` and `reportError`) it reads from its fields at each call.
 */
export class DeliveryRunner {
  /** The kept one (keep-shape.ts), a part of other classes' kept ones too. */
  static readonly inert: DeliveryRunner = keepShape(new DeliveryRunner(INERT_DELIVERY_RUNNER_OPTIONS));
  readonly #log: RelayLog;
  readonly #group: string;
  readonly #settings: DeliveryRunnerOptions['settings'];
  readonly #counters: ConsumerCounters;
  readonly #handle: DeliveryHandler;
  readonly #claims: Claims;
  readonly #acknowledgements: Acknowledgements;
  readonly #persist: Persist;

  constructor({ log, group, settings, counters, handle, claims, acknowledgements, persist }: DeliveryRunnerOptions) {
    this.#log = log;
    this.#group = group;
    this.#settings = settings;
    this.#counters = counters;
    this.#handle = handle;
    this.#claims = claims;
    this.#acknowledgements = acknowledgements;
    this.#persist = persist;
  }

  /**
   * Runs one delivery to its end: handled (or found handled before) and acknowledged, or
   * dead-lettered. Synchronous (no promise) while its claim is in and its handlers answer at once.
   */
  run(entry: Queued, signal: AbortSignal): void | Promise<void> {
    const { delivery } = entry;
    const { record, partition, position } = delivery;
    // the next event of the repository need not wait for this one's acknowledgement, only for its
    // outcome: a crash before the ack redelivers it, and its claim, then the record of it as handled, answer
    if (!this.#claims.runsHere(delivery)) {
      // the synthetic event reconciliation appended for this change was dispatched already
      if (record.reconciled) this.#counters.duplicates++;
      return this.#acknowledgements.acknowledge(partition, position, undefined);
    }
    if (signal.aborted) return;
    const asked = this.#claims.claimFor(entry, signal);
    return asked instanceof Promise ? asked.then((claimed) => this.#attempt(delivery, claimed, signal)) : this.#attempt(delivery, asked, signal);
  }

  /** An attempt with the claim asked for it: runs the handlers if it is ours, else acknowledges a duplicate or waits for the holder. */
  #attempt(delivery: Delivery, claimed: ClaimResult | undefined, signal: AbortSignal): void | Promise<void> {
    if (claimed === undefined) return;
    if (claimed.status === 'done') {
      this.#counters.duplicates++;
      return this.#acknowledgements.acknowledge(delivery.partition, delivery.position, undefined);
    }
    if (claimed.status === 'in-flight') {
      // a consumer that lost this partition is still running it: its outcome decides
      return sleep(Math.min(1000, this.#settings.leaseMs / 4), signal).then(() => this.#again(delivery, signal));
    }
    const { token } = claimed;
    let outcome: Outcome | Promise<Outcome>;
    try {
      outcome = this.#handle(delivery);
    } catch (error) {
      outcome = { result: 'failed', error };
    }
    if (outcome instanceof Promise) {
      return outcome.then(
        (settled) => this.#finish(delivery, token, settled, signal),
        (error: unknown) => this.#finish(delivery, token, { result: 'failed', error }, signal)
      );
    }
    return this.#finish(delivery, token, outcome, signal);
  }

  #finish(delivery: Delivery, token: string, outcome: Outcome, signal: AbortSignal): void | Promise<void> {
    if (outcome.result === 'handled') {
      this.#counters.handled++;
      return this.#acknowledgements.acknowledge(delivery.partition, delivery.position, delivery.record.key);
    }
    return this.#failed(delivery, token, outcome.error, signal);
  }

  /** Gives the claim back and records the failure; dead-letters the event after `maxAttempts`, else runs it again after its delay. */
  async #failed(delivery: Delivery, token: string, error: unknown, signal: AbortSignal): Promise<void> {
    this.#counters.failed++;
    await this.#claims.giveBack(delivery, token);
    const failures = await this.#persist(() => this.#log.recordFailure(this.#group, delivery.partition, delivery.position), signal);
    if (failures === undefined) return;
    if (failures >= this.#settings.maxAttempts) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      await this.#persist(() => this.#log.deadLetter(this.#group, { ...delivery, failures }, reason), signal);
      this.#counters.deadLettered++;
      return;
    }
    await sleep(this.#settings.delay(failures), signal);
    if (!signal.aborted) this.#counters.redeliveries++;
    return this.#again(delivery, signal);
  }

  /** Another attempt, with a claim asked for now (the one taken ahead is spent), unless the consumer is stopping. */
  #again(delivery: Delivery, signal: AbortSignal): void | Promise<void> {
    if (signal.aborted) return;
    return this.#claims.claimNow(delivery, undefined, signal).then((claimed) => this.#attempt(delivery, claimed, signal));
  }
}
