import { sleep } from '@regevents/registry-client';
import type { ClaimResult } from '@regevents/webhooks';
import type { Acknowledge } from './acknowledgements.js';
import type { Claims, Queued } from './claims.js';
import type { ConsumerSettings } from './consumer-settings.js';
import type { Delivery, RelayLog } from './log.js';
import type { Persist } from './log-retry.js';
import type { ConsumerCounters, DeliveryHandler, Outcome } from './loop-types.js';

interface DeliveryRunnerOptions {
  log: RelayLog;
  group: string;
  settings: Pick<ConsumerSettings, 'maxAttempts' | 'delay' | 'leaseMs'>;
  counters: ConsumerCounters;
  handle: DeliveryHandler;
  claims: Claims;
  acknowledge: Acknowledge;
  persist: Persist;
}

/**
 * Runs one delivery at a time to its end, with the group's record of handled events: a claim of
 * its event before the handlers run, the record of it as handled with its acknowledgement, a
 * failure recorded and retried after its delay, dead-lettered after `maxAttempts`.
 */
export function createDeliveryRunner({ log, group, settings, counters, handle, claims, acknowledge, persist }: DeliveryRunnerOptions) {
  const { runsHere, claimFor, claimNow, giveBack } = claims;

  /**
   * Runs one delivery to its end: handled (or found handled before) and acknowledged, or
   * dead-lettered. Synchronous (no promise) while its claim is in and its handlers answer at once.
   */
  function run(entry: Queued, signal: AbortSignal): void | Promise<void> {
    const { delivery } = entry;
    const { record, partition, position } = delivery;
    // the next event of the repository need not wait for this one's acknowledgement, only for its
    // outcome: a crash before the ack redelivers it, and its claim, then the record of it as handled, answer
    if (!runsHere(delivery)) {
      // the synthetic event reconciliation appended for this change was dispatched already
      if (record.reconciled) counters.duplicates++;
      return acknowledge(partition, position, undefined);
    }
    if (signal.aborted) return;
    const asked = claimFor(entry, signal);
    return asked instanceof Promise ? asked.then((claimed) => attempt(delivery, claimed, signal)) : attempt(delivery, asked, signal);
  }

  /** An attempt with the claim asked for it: runs the handlers if it is ours, else acknowledges a duplicate or waits for the holder. */
  function attempt(delivery: Delivery, claimed: ClaimResult | undefined, signal: AbortSignal): void | Promise<void> {
    if (claimed === undefined) return;
    if (claimed.status === 'done') {
      counters.duplicates++;
      return acknowledge(delivery.partition, delivery.position, undefined);
    }
    if (claimed.status === 'in-flight') {
      // a consumer that lost this partition is still running it: its outcome decides
      return sleep(Math.min(1000, settings.leaseMs / 4), signal).then(() => again(delivery, signal));
    }
    const { token } = claimed;
    let outcome: Outcome | Promise<Outcome>;
    try {
      outcome = handle(delivery);
    } catch (error) {
      outcome = { result: 'failed', error };
    }
    if (outcome instanceof Promise) {
      return outcome.then(
        (settled) => finish(delivery, token, settled, signal),
        (error: unknown) => finish(delivery, token, { result: 'failed', error }, signal)
      );
    }
    return finish(delivery, token, outcome, signal);
  }

  function finish(delivery: Delivery, token: string, outcome: Outcome, signal: AbortSignal): void | Promise<void> {
    if (outcome.result === 'handled') {
      counters.handled++;
      return acknowledge(delivery.partition, delivery.position, delivery.record.key);
    }
    return failed(delivery, token, outcome.error, signal);
  }

  /** Gives the claim back and records the failure; dead-letters the event after `maxAttempts`, else runs it again after its delay. */
  async function failed(delivery: Delivery, token: string, error: unknown, signal: AbortSignal): Promise<void> {
    counters.failed++;
    await giveBack(delivery, token);
    const failures = await persist(() => log.recordFailure(group, delivery.partition, delivery.position), signal);
    if (failures === undefined) return;
    if (failures >= settings.maxAttempts) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      await persist(() => log.deadLetter(group, { ...delivery, failures }, reason), signal);
      counters.deadLettered++;
      return;
    }
    await sleep(settings.delay(failures), signal);
    if (!signal.aborted) counters.redeliveries++;
    return again(delivery, signal);
  }

  /** Another attempt, with a claim asked for now (the one taken ahead is spent), unless the consumer is stopping. */
  function again(delivery: Delivery, signal: AbortSignal): void | Promise<void> {
    if (signal.aborted) return;
    return claimNow(delivery, undefined, signal).then((claimed) => attempt(delivery, claimed, signal));
  }

  return run;
}

export type RunDelivery = ReturnType<typeof createDeliveryRunner>;
