import { distributionKindOf, identifiesOccurrence, normalizeDistributionEvent, type NormalizedRegistryEvent } from '@regevents/formats';
import type { Event } from '@regevents/types';
import { synchronousStore, type DedupeStore, type SyncDedupeStore } from '../dedupe.js';
import { eventKey, isKnownAction, type UnknownEvent } from '../dispatch.js';
import { HandlerFailedError } from '../errors.js';
import { inOrder, isPromiseLike, type MaybePromise } from '../maybe-async.js';
import { NormalizedContext } from './contexts.js';
import { distributionPlan, normalizedPlan, unknownPlan } from './plans.js';
import { reportError } from './report-error.js';
import type { EventHandlerState, Plan, Planned } from './state.js';
import type { ErrorContext, EventContext, NormalizedEventContext, ReceiveResult } from './types.js';

type DistributionEvent = Event | UnknownEvent;

function isDistributionEvent(event: DistributionEvent | NormalizedRegistryEvent): event is DistributionEvent {
  return typeof (event as { action?: unknown }).action === 'string';
}

/**
 * Ids are unique only within what one sender sends in one format: scoped so, an ACR body carrying
 * a distribution event's id cannot mark that event handled. A normalized event's registry is its
 * sender. Events whose format identifies no occurrence get no key: they are never deduplicated.
 */
function dedupeKeyOf(event: DistributionEvent | NormalizedRegistryEvent, context: EventContext | NormalizedEventContext): string | undefined {
  if (isDistributionEvent(event)) return typeof event.id === 'string' && event.id !== '' ? `distribution/distribution:${event.id}` : undefined;
  return identifiesOccurrence(event) ? `${event.registry.kind}/${(context as NormalizedEventContext).format}:${event.id}` : undefined;
}

/** The normalized view of a distribution event, for handlers of normalized kinds; `headers` stays lazy. */
function normalizedView(event: Event, context: EventContext): { event: NormalizedRegistryEvent; context: NormalizedEventContext } {
  return { event: normalizeDistributionEvent(event), context: new NormalizedContext('distribution', context.index, context.delivery, { headers: () => context.headers }) };
}

/** Runs the event's handlers one after the other; synchronous as long as they are. */
function runHandlers(state: EventHandlerState, event: DistributionEvent | NormalizedRegistryEvent, context: EventContext | NormalizedEventContext, errorContext: ErrorContext): MaybePromise<unknown> {
  if (!isDistributionEvent(event)) return runPlan(normalizedPlan(state, event.kind), event, context);
  if (!isKnownAction(event.action)) return runPlan(unknownPlan(state), event, context);
  const known = event as Event;
  // the plan comes from the kind alone: the normalized view is built only when a handler takes it
  const plan = distributionPlan(state, known.action, eventKey(known), state.wantsNormalized ? distributionKindOf(known) : undefined);
  const normalized = plan.takesNormalized ? normalizedView(known, context as EventContext) : undefined;
  if (normalized) errorContext.normalized = normalized.event;
  return runPlan(plan, known, context, normalized);
}

function runPlan(plan: Plan, event: unknown, context: unknown, normalized?: { event: NormalizedRegistryEvent; context: NormalizedEventContext }): MaybePromise<unknown> {
  const { handlers } = plan;
  return inOrder(handlers.length, (index) => {
    const { handler, normalized: takesNormalized } = handlers[index] as Planned;
    return takesNormalized && normalized ? handler(normalized.event as never, normalized.context as never) : handler(event as never, context as never);
  });
}

function eventIdOf(event: DistributionEvent | NormalizedRegistryEvent): string | undefined {
  return typeof event.id === 'string' && event.id !== '' ? event.id : undefined;
}

async function reportFailure(state: EventHandlerState, event: DistributionEvent | NormalizedRegistryEvent, context: EventContext | NormalizedEventContext, errorContext: ErrorContext, error: unknown): Promise<ReceiveResult> {
  await reportError(state, new HandlerFailedError(eventIdOf(event), error), { ...errorContext, headers: context.headers });
  return 'failed';
}

/** With a store outside this process (Redis): every claim, completion and release is awaited. */
async function receiveThroughStore(state: EventHandlerState, store: DedupeStore, key: string, event: DistributionEvent | NormalizedRegistryEvent, context: EventContext | NormalizedEventContext, errorContext: ErrorContext): Promise<ReceiveResult> {
  let token: string | undefined;
  try {
    const claim = await store.claim(key, state.leaseMs);
    if (claim.status === 'done') return 'duplicate';
    if (claim.status === 'in-flight') return 'in-flight';
    token = claim.token;
    await runHandlers(state, event, context, errorContext);
    await store.complete(key, token, state.ttlMs);
    return 'handled';
  } catch (error) {
    if (token !== undefined) await store.release(key, token).catch((releaseError: unknown) => reportError(state, releaseError, errorContext));
    return reportFailure(state, event, context, errorContext, error);
  }
}

/**
 * Claims the event, runs its handlers, and records success (or gives the claim up on failure).
 * With no store or the memory store, and handlers that return no promise, it answers at once.
 */
export function receiveNow(state: EventHandlerState, event: DistributionEvent | NormalizedRegistryEvent, context: EventContext | NormalizedEventContext): MaybePromise<ReceiveResult> {
  const { store } = state;
  const key = store ? dedupeKeyOf(event, context) : undefined;
  const errorContext: ErrorContext = isDistributionEvent(event) ? { event } : { normalized: event };
  const now = store && synchronousStore(store);
  if (store && key !== undefined && !now) return receiveThroughStore(state, store, key, event, context, errorContext);
  const held = now && key !== undefined ? now : undefined;
  if (held) {
    const status = held.hold(key as string);
    if (status === 'done') return 'duplicate';
    if (status === 'in-flight') return 'in-flight';
  }
  let running: unknown;
  let pending: boolean;
  try {
    running = runHandlers(state, event, context, errorContext);
    pending = isPromiseLike(running);
  } catch (error) {
    held?.dropHolding(key as string);
    return reportFailure(state, event, context, errorContext, error);
  }
  if (pending) {
    // the hold becomes a lease in the store before anything else runs: a concurrent duplicate gets in-flight
    const claimed = held ? { store: held, key: key as string, token: held.keepHolding(key as string, state.leaseMs) } : undefined;
    return Promise.resolve(running).then(
      () => handledLater(state, claimed),
      (error: unknown) => failedLater(state, claimed, event, context, errorContext, error),
    );
  }
  held?.doneHolding(key as string, state.ttlMs);
  return 'handled';
}

interface SyncClaim {
  store: SyncDedupeStore;
  key: string;
  token: string;
}

function handledLater(state: EventHandlerState, claimed: SyncClaim | undefined): ReceiveResult {
  claimed?.store.complete(claimed.key, claimed.token, state.ttlMs);
  return 'handled';
}

function failedLater(state: EventHandlerState, claimed: SyncClaim | undefined, event: DistributionEvent | NormalizedRegistryEvent, context: EventContext | NormalizedEventContext, errorContext: ErrorContext, error: unknown): Promise<ReceiveResult> {
  claimed?.store.release(claimed.key, claimed.token);
  return reportFailure(state, event, context, errorContext, error);
}

export async function receive(state: EventHandlerState, event: DistributionEvent | NormalizedRegistryEvent, context: EventContext | NormalizedEventContext): Promise<ReceiveResult> {
  return receiveNow(state, event, context);
}
