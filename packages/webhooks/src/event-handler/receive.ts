import { identifiesOccurrence, normalizeDistributionEvent, type NormalizedRegistryEvent } from '@regevents/formats';
import type { Event } from '@regevents/types';
import { eventKey, isKnownAction, type UnknownEvent } from '../dispatch.js';
import { HandlerFailedError } from '../errors.js';
import { reportError } from './report-error.js';
import type { EventHandlerState } from './state.js';
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
  return {
    event: normalizeDistributionEvent(event),
    context: {
      format: 'distribution',
      index: context.index,
      delivery: context.delivery,
      get headers() {
        return context.headers;
      },
    },
  };
}

/** A handler registered for a distribution key and a normalized kind runs once, with the distribution event. */
async function runDistribution(state: EventHandlerState, event: DistributionEvent, context: EventContext, errorContext: ErrorContext): Promise<void> {
  if (isKnownAction(event.action)) {
    const known = event as Event;
    const fine = eventKey(known);
    const normalized = state.wantsNormalized ? normalizedView(known, context) : undefined;
    if (normalized) errorContext.normalized = normalized.event;
    for (const { keys, handler } of state.keyed) {
      if (keys.has(known.action) || keys.has(fine)) await handler(known as never, context as never);
      else if (normalized && keys.has(normalized.event.kind)) await handler(normalized.event as never, normalized.context as never);
    }
  } else {
    for (const handler of state.unknownHandlers) await handler(event as UnknownEvent, context);
  }
  for (const handler of state.anyHandlers) await handler(event, context);
}

async function runNormalized(state: EventHandlerState, event: NormalizedRegistryEvent, context: NormalizedEventContext): Promise<void> {
  for (const { keys, handler } of state.keyed) if (keys.has(event.kind)) await handler(event as never, context as never);
}

/** Claims the event, runs its handlers, and records success (or gives the claim up on failure). */
export async function receive(state: EventHandlerState, event: DistributionEvent | NormalizedRegistryEvent, context: EventContext | NormalizedEventContext): Promise<ReceiveResult> {
  const { store } = state;
  const key = store ? dedupeKeyOf(event, context) : undefined;
  const distribution = isDistributionEvent(event);
  const errorContext: ErrorContext = distribution ? { event } : { normalized: event };
  let token: string | undefined;
  try {
    if (store && key !== undefined) {
      const claim = await store.claim(key, state.leaseMs);
      if (claim.status === 'done') return 'duplicate';
      if (claim.status === 'in-flight') return 'in-flight';
      token = claim.token;
    }
    if (distribution) await runDistribution(state, event, context as EventContext, errorContext);
    else await runNormalized(state, event, context as NormalizedEventContext);
    if (store && key !== undefined && token !== undefined) await store.complete(key, token, state.ttlMs);
    return 'handled';
  } catch (error) {
    if (store && key !== undefined && token !== undefined) await store.release(key, token).catch((releaseError: unknown) => reportError(state, releaseError, errorContext));
    const id = typeof event.id === 'string' && event.id !== '' ? event.id : undefined;
    await reportError(state, new HandlerFailedError(id, error), { ...errorContext, headers: context.headers });
    return 'failed';
  }
}
