import type { NormalizedRegistryEvent } from '@regevents/formats';
import type { Event } from '@regevents/types';
import { createEventHandler, type ErrorHandler, type EventContext, type HandlerRegistration, type NormalizedEventContext, type ReceiveResult, type UnknownEvent } from '@regevents/webhooks';
import { createConsumerLoop } from './consumer-loop.js';
import { consumerSettings, type ConsumerOptions } from './consumer-settings.js';
import type { ConsumerCounters, Outcome } from './loop-types.js';
import type { Delivery, RelayLog } from './log.js';
import type { LogRecord } from './record.js';
import { createCoalescer, type CoalescedStep, type ImagePush } from './coalesce.js';
import { createEnrichedView, type EnrichedEventHandler } from './enrich-view.js';
import { RelayConfigError } from './errors.js';
import { keepShape } from './keep-shape.js';
import { oneTransitionAtATime } from './start-stop.js';

export type ImagePushHandler = (image: ImagePush) => unknown;

export interface Consumer extends Omit<HandlerRegistration<Consumer>, 'on'> {
  on: HandlerRegistration<Consumer>['on'] &
    /** With `coalesce: true`: one image push per tagged manifest push, instead of the burst of blob and manifest events (still there for their own keys). */
    ((key: 'image.pushed', handler: ImagePushHandler) => Consumer) &
    /** With `enrich`: every event in the normalized model, what the registry left out filled in (`event.derived` names it). */
    ((key: 'enriched', handler: EnrichedEventHandler) => Consumer);
  /** The group this consumer works for. */
  readonly group: string;
  /** This consumer's name within the group. */
  readonly name: string;
  /** Joins the group (creating it if needed) and starts handling events. A start() while one is under way joins it. */
  start(): Promise<void>;
  /** Stops taking events: those being handled finish and are acknowledged, the rest stay in the group for others. A stop() during a start() lets it finish, then stops (its leases released). */
  stop(): Promise<void>;
  /** Resolves once the group has caught up: nothing in the log it has not taken, nothing taken and not finished (a backfill, a test, `tail --once`). */
  idle(options?: { pollMs?: number }): Promise<void>;
  /** What this consumer did since it was created. */
  counters(): ConsumerCounters;
}

const emptyHeaders = new Headers();
const handled: Outcome = { result: 'handled' };
const INERT_RECORD: LogRecord = { key: '', format: 'distribution', repository: '', receivedAt: '', event: undefined };

/**
 * The context a handler of a logged event sees: the delivery facts the relay kept (no HTTP headers).
 * Built when a handler first reads them (most never do), by getters on the prototype (an object
 * per event with its own getters would get a hidden class of its own).
 */
class LoggedEventContext {
  static {
    keepShape(new LoggedEventContext(INERT_RECORD));
  }
  readonly index = 0;
  readonly headers = emptyHeaders;
  readonly #record: LogRecord;
  #delivery: EventContext['delivery'] | undefined;
  #envelope: EventContext['envelope'] | undefined;

  constructor(record: LogRecord) {
    this.#record = record;
  }

  get delivery(): EventContext['delivery'] {
    return (this.#delivery ??= { receivedAt: new Date(this.#record.receivedAt), contentType: '', remoteAddress: undefined, eventCount: 1 });
  }

  get envelope(): EventContext['envelope'] {
    return (this.#envelope ??= { events: [this.#record.event] });
  }

  get format(): LogRecord['format'] {
    return this.#record.format;
  }
}

function contextOf(delivery: Delivery): EventContext | NormalizedEventContext {
  return new LoggedEventContext(delivery.record);
}

/** JSON gave `occurredAt` back as text: normalized events carry a Date. */
function eventOf(delivery: Delivery): Event | UnknownEvent | NormalizedRegistryEvent {
  const { record } = delivery;
  if (record.format === 'distribution') return record.event as Event | UnknownEvent;
  const normalized = record.event as NormalizedRegistryEvent & { occurredAt: string | Date };
  return { ...normalized, occurredAt: new Date(normalized.occurredAt) };
}

/**
 * A member of a consumer group: the typed `on(...)` of `createEventHandler`, fed from the log.
 * At least once from the log; the group's record of handled event ids makes the effects once.
 */
export function createConsumer(log: RelayLog, group: string, options: ConsumerOptions, onCounters: (counters: ConsumerCounters) => void): Consumer {
  const settings = consumerSettings(options);
  // the loop claims each event's key in the group's record of handled events and records it with the ack, a batch at a time
  const events = createEventHandler({ dedupe: false });
  // the error of a failed receive, for its dead letter: receive reports it to onError and returns `failed`
  const lastErrors = new WeakMap<object, unknown>();
  const userErrorHandlers: ErrorHandler[] = [];
  const hookFailed = (hookError: unknown) => console.error('[@regevents/relay] onError handler threw', hookError);
  /**
   * Tells every `onError` handler (with none, logs), the handlers' failures and the loop's alike. As
   * webhooks' reportError: one that throws or rejects is logged, never rethrown, and the others
   * still hear (the loop reports from inside its queues, where a throw would stop a repository's
   * queue for good).
   */
  function tellErrorHandlers(error: unknown, context: Parameters<ErrorHandler>[1]): void {
    if (userErrorHandlers.length === 0) console.error('[@regevents/relay]', error);
    for (const handler of userErrorHandlers) {
      try {
        void Promise.resolve(handler(error, context)).catch(hookFailed);
      } catch (hookError) {
        hookFailed(hookError);
      }
    }
  }
  events.onError((error, context) => {
    const subject = context.event ?? context.normalized;
    if (subject) lastErrors.set(subject, (error as { cause?: unknown }).cause ?? error);
    tellErrorHandlers(error, context);
  });

  const imageHandlers: ImagePushHandler[] = [];
  const coalescer = options.coalesce ? createCoalescer(options.coalesce === true ? undefined : options.coalesce.client) : undefined;
  const enriched = options.enrich ? createEnrichedView(options.enrich) : undefined;

  // how far a delivery got before a view's handler failed (1: its own handlers ran, 2: the coalesced
  // view's too): the loop retries the same delivery from there (after a crash from the start: at least once)
  const stagesDone = new WeakMap<Delivery, number>();
  function stopAt(delivery: Delivery, stage: number, failed: Outcome): Outcome {
    stagesDone.set(delivery, stage);
    return failed;
  }

  const failedWith = (error: unknown): Outcome => ({ result: 'failed', error });

  /**
   * The coalesced view: image handlers run once the event's own handlers did; a failure retries the
   * event (not its own handlers). In this turn unless the coalescer reads an index or the event
   * completes an image.
   */
  function handleImage(delivery: Delivery, event: Event): Outcome | undefined | Promise<Outcome | undefined> {
    if (!coalescer || delivery.record.format !== 'distribution' || typeof (event as { target?: unknown }).target !== 'object') return undefined;
    let step: CoalescedStep | Promise<CoalescedStep>;
    try {
      step = coalescer.next(event);
    } catch (error) {
      return failedWith(error);
    }
    return step instanceof Promise ? step.then(runImageHandlers, failedWith) : runImageHandlers(step);
  }

  /** An event that completes no image is coalesced in this turn; one that does runs the image handlers one after another, then commits. */
  function runImageHandlers(step: CoalescedStep): Outcome | undefined | Promise<Outcome | undefined> {
    if (!step.image) {
      step.commit();
      return undefined;
    }
    return handImage(step.image, step.commit);
  }

  async function handImage(image: ImagePush, commit: () => void): Promise<Outcome | undefined> {
    try {
      for (const handler of imageHandlers) await handler(image);
      commit();
    } catch (error) {
      return failedWith(error);
    }
    return undefined;
  }

  /** What a receive of the event came to: without dedupe, anything but `failed` is `handled`. */
  function outcomeOf(result: ReceiveResult, event: object): Outcome {
    return result === 'failed' ? { result: 'failed', error: lastErrors.get(event) ?? new Error('a handler failed') } : handled;
  }

  /**
   * The event's own handlers unless a retry is past them, then the views; in this turn while each
   * stage answers at once, so the loop runs a batch of such events without a promise per event.
   */
  function handle(delivery: Delivery): Outcome | Promise<Outcome> {
    const event = eventOf(delivery);
    // only the views' failures record a stage: without views a retry runs the handlers again
    const done = coalescer || enriched ? (stagesDone.get(delivery) ?? 0) : 0;
    if (done >= 1) return views(delivery, event, done);
    const result = events.receiveNow(event as never, contextOf(delivery) as never);
    if (typeof result !== 'string') return result.then((settled) => afterOwnHandlers(delivery, event, outcomeOf(settled, event)));
    return afterOwnHandlers(delivery, event, outcomeOf(result, event));
  }

  function afterOwnHandlers(delivery: Delivery, event: ReturnType<typeof eventOf>, outcome: Outcome): Outcome | Promise<Outcome> {
    return outcome === handled ? views(delivery, event, 1) : outcome;
  }

  function views(delivery: Delivery, event: ReturnType<typeof eventOf>, done: number): Outcome | Promise<Outcome> {
    if (!coalescer || done >= 2) return enrichedView(delivery);
    const failed = handleImage(delivery, event as Event);
    if (failed instanceof Promise) return failed.then((settled) => (settled ? stopAt(delivery, 1, settled) : enrichedView(delivery)));
    return failed ? stopAt(delivery, 1, failed) : enrichedView(delivery);
  }

  function enrichedView(delivery: Delivery): Outcome | Promise<Outcome> {
    if (!enriched) return handled;
    return enriched.handle(delivery).then((failed) => (failed ? stopAt(delivery, 2, failed) : handled));
  }

  const loop = createConsumerLoop(log, group, settings, handle, (error) => tellErrorHandlers(error, {}));
  onCounters(loop.counters);
  const transitions = oneTransitionAtATime(
    () => loop.start(),
    () => loop.stop()
  );

  const consumer: Consumer = {
    group,
    name: settings.name,
    on(keys: unknown, handler: unknown) {
      if (keys === 'image.pushed') {
        if (!coalescer) throw new RelayConfigError("on('image.pushed') needs the coalesced view: relay.consumer(group, { coalesce: true })");
        imageHandlers.push(handler as ImagePushHandler);
      } else if (keys === 'enriched') {
        if (!enriched) throw new RelayConfigError("on('enriched') needs the enriched view: relay.consumer(group, { enrich: { client } })");
        enriched.on(handler as EnrichedEventHandler);
      } else events.on(keys as never, handler as never);
      return consumer;
    },
    onAny(handler) {
      events.onAny(handler);
      return consumer;
    },
    onUnknown(handler) {
      events.onUnknown(handler);
      return consumer;
    },
    onError(handler) {
      userErrorHandlers.push(handler);
      return consumer;
    },
    start: transitions.start,
    stop: transitions.stop,
    async idle({ pollMs = 50 } = {}) {
      for (;;) {
        const { lag, pending } = await log.groupStats(group);
        if (lag === 0 && pending === 0) return;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },
    counters: () => ({ ...loop.counters }),
  };
  return consumer;
}
