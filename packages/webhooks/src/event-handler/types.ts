/** What handlers receive and what an event handler offers: types only, shared by the event handler and the HTTP receiver on top of it. */
import type { FormatId, NormalizedKind, NormalizedRegistryEvent } from '@regevents/formats';
import type { Event } from '@regevents/types';
import type { DedupeStore } from '../dedupe.js';
import type { EventKey, EventsByKey, UnknownEvent } from '../dispatch.js';

export interface DedupeOptions {
  /** Default: an in-memory LRU store (one process). Use `createRedisDedupeStore` when several receivers share the work. */
  store?: DedupeStore;
  /** How long a delivery holds an event while its handlers run; a crashed holder's claim lapses after it. Default 60 s. */
  leaseMs?: number;
  /** How long a handled id is remembered. Default 24 h. */
  ttlMs?: number;
}

/** Facts about the delivery that carried an event. */
export interface DeliveryInfo {
  receivedAt: Date;
  contentType: string;
  remoteAddress: string | undefined;
  /** Number of events in the envelope. */
  eventCount: number;
}

export interface EventContext {
  /** The envelope as received; events in it may be invalid or of unknown actions. */
  envelope: { events: readonly unknown[] };
  /** Position of this event in the envelope. */
  index: number;
  headers: Headers;
  delivery: DeliveryInfo;
}

/** Facts about the delivery of a normalized event. */
export interface NormalizedEventContext {
  /** The wire format the body was read as. */
  format: FormatId;
  /** Position of this event among those the body normalized into (for envelopes: its position in the envelope). */
  index: number;
  headers: Headers;
  delivery: DeliveryInfo;
}

export interface ErrorContext {
  event?: Event | UnknownEvent;
  /** The normalized event whose handler failed. */
  normalized?: NormalizedRegistryEvent;
  headers?: Headers;
}

/** A normalized event of one kind. */
export type NormalizedEventOf<K extends NormalizedKind> = NormalizedRegistryEvent & { kind: K };
/** What `on()` takes: distribution keys (`push:manifest`) and normalized kinds (`artifact.pushed`). */
export type DispatchKey = EventKey | NormalizedKind;
export type DispatchedEvent<K extends DispatchKey> = K extends EventKey ? EventsByKey[K] : K extends NormalizedKind ? NormalizedEventOf<K> : never;
export type DispatchContext<K extends DispatchKey> = K extends EventKey ? EventContext : NormalizedEventContext;

type Awaitable<T> = T | Promise<T>;
export type EventHandler<K extends DispatchKey> = (event: DispatchedEvent<K>, context: DispatchContext<K>) => Awaitable<unknown>;
export type AnyEventHandler = (event: Event | UnknownEvent, context: EventContext) => Awaitable<unknown>;
export type UnknownEventHandler = (event: UnknownEvent, context: EventContext) => Awaitable<unknown>;
export type ErrorHandler = (error: unknown, context: ErrorContext) => Awaitable<unknown>;

/**
 * What `receive` did with an event: its handlers ran (`handled`), it had already been handled
 * (`duplicate`), another receive holds it right now (`in-flight`: try again later), or a handler
 * threw (`failed`: `onError` has been told, and the event's claim is given up so a retry runs it).
 */
export type ReceiveResult = 'handled' | 'duplicate' | 'in-flight' | 'failed';

export interface EventHandlerOptions {
  /** Deduplication by event id; `false` runs handlers on every receive. */
  dedupe?: DedupeOptions | false;
}

/** How handlers are registered, on an event receiver and on the HTTP receiver alike; each method returns `Self` for chaining. */
export interface HandlerRegistration<Self> {
  /**
   * Runs `handler` for events of one key or several: distribution keys (`push` gets every push,
   * `push:manifest` only manifest pushes) and normalized kinds (`artifact.pushed`).
   */
  on<K extends DispatchKey>(keys: K | readonly K[], handler: EventHandler<K>): Self;
  /** Runs for every distribution event, known or not, after the keyed handlers. */
  onAny(handler: AnyEventHandler): Self;
  /** Runs for events whose action this SDK does not know; they are never validated and never crash the receiver. */
  onUnknown(handler: UnknownEventHandler): Self;
  /** Runs when a handler throws (the delivery then gets 500) or the receiver is misconfigured. Default: console.error. */
  onError(handler: ErrorHandler): Self;
}

/** Typed dispatch with no HTTP: `createWebhookHandler` puts a receiver in front of one; a queue consumer or a test can `receive` directly. */
export interface EventReceiver extends HandlerRegistration<EventReceiver> {
  /**
   * Claims the event's id, runs its handlers in registration order and records the outcome.
   * A distribution event (one with an `action`) goes to its keys (or `onUnknown`, when its action
   * is unknown), to normalized kinds through its normalized view, then to `onAny`. A normalized
   * event goes to its kind's handlers. Events are not validated here: pass what `validateEvent`
   * or `normalize` returned, or what a log of them holds. A handler's error is not thrown: the
   * result is `failed`, and `onError` is told.
   */
  receive(event: Event | UnknownEvent, context: EventContext): Promise<ReceiveResult>;
  receive(event: NormalizedRegistryEvent, context: NormalizedEventContext): Promise<ReceiveResult>;
  /**
   * `receive`, answered at once (no promise) when nothing it runs returns one: the handlers, and
   * the dedupe store (none, or the memory store). For a loop that handles many events, where an
   * `await` per event costs more than the handlers; a failure's answer is always a promise (its
   * `onError` handlers are awaited).
   */
  receiveNow(event: Event | UnknownEvent, context: EventContext): ReceiveResult | Promise<ReceiveResult>;
  receiveNow(event: NormalizedRegistryEvent, context: NormalizedEventContext): ReceiveResult | Promise<ReceiveResult>;
}
