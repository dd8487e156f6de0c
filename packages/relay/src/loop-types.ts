import type { Delivery } from './log.js';

/** What a consumer did since it was created. */
export interface ConsumerCounters {
  handled: number;
  failed: number;
  /** Events run again: a retry after a failure, or one taken over from a consumer that died. */
  redeliveries: number;
  deadLettered: number;
  /** Deliveries of events the group had already handled (acknowledged without running). */
  duplicates: number;
}

/** What came of handing an event to the handlers (`ReceiveResult` of `createEventHandler` without dedupe: the loop does it), with the error when they failed. */
export type Outcome = { result: 'handled' } | { result: 'failed'; error: unknown };
/** Answers at once when the handlers do: the loop then runs the event without a promise. */
export type DeliveryHandler = (delivery: Delivery) => Outcome | Promise<Outcome>;
export type LoopErrorHandler = (error: unknown, delivery?: Delivery) => void;
/** Keeps a log call nobody awaits (an acknowledgement, a claim given back) where a stop finds it. */
export type Track = (work: Promise<void>) => void;
/** Keeps a parked queue's wait where a stop finds it, until it settles. */
export type Hold = (waiting: Promise<void>) => void;
