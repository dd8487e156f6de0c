import type { NormalizedKind } from '@regevents/formats';
import type { EventKey } from '../dispatch.js';
import type { EventHandlerState, KeyedHandler } from './state.js';

/** A handler, and whether it takes the event's normalized view (registered for a normalized kind only) or the event as received. */
export interface Planned {
  handler: KeyedHandler;
  normalized: boolean;
}

/** The handlers an event goes to, in order, and whether any of them takes the normalized view (only then is it built). */
export interface Plan {
  handlers: readonly Planned[];
  takesNormalized: boolean;
}

function planOf(handlers: Planned[]): Plan {
  return { handlers, takesNormalized: handlers.some(({ normalized }) => normalized) };
}

const asReceived = (handler: KeyedHandler): Planned => ({ handler, normalized: false });

/**
 * Who receives an event, worked out once per dispatch key rather than per event: the walk over
 * every registration and its key sets happens when a key is first seen after a registration.
 */
interface Plans {
  /** By fine key, then by the normalized view's kind ('' when no handler takes normalized kinds). */
  distribution: Map<EventKey, Map<NormalizedKind | '', Plan>>;
  normalized: Map<NormalizedKind, Plan>;
  unknown: Plan | undefined;
}

const plansOf = new WeakMap<EventHandlerState, Plans>();

function plans(state: EventHandlerState): Plans {
  let found = plansOf.get(state);
  if (!found) plansOf.set(state, (found = { distribution: new Map(), normalized: new Map(), unknown: undefined }));
  return found;
}

/** After any registration: the next event of each key plans again. */
export function forgetPlans(state: EventHandlerState): void {
  plansOf.delete(state);
}

/**
 * A known distribution event's handlers in registration order, then `onAny`; a handler registered
 * for its key and its normalized kind runs once, with the distribution event. `kind` is the kind
 * its normalized view would have (undefined when no handler takes normalized kinds).
 */
export function distributionPlan(state: EventHandlerState, action: string, fine: EventKey, kind: NormalizedKind | undefined): Plan {
  const { distribution } = plans(state);
  let byKind = distribution.get(fine);
  if (!byKind) distribution.set(fine, (byKind = new Map()));
  let plan = byKind.get(kind ?? '');
  if (!plan) {
    const planned: Planned[] = [];
    for (const { keys, handler } of state.keyed) {
      if (keys.has(action as EventKey) || keys.has(fine)) planned.push(asReceived(handler));
      else if (kind !== undefined && keys.has(kind)) planned.push({ handler, normalized: true });
    }
    for (const handler of state.anyHandlers) planned.push(asReceived(handler));
    byKind.set(kind ?? '', (plan = planOf(planned)));
  }
  return plan;
}

/** An event whose action this SDK does not know: `onUnknown`, then `onAny`. */
export function unknownPlan(state: EventHandlerState): Plan {
  const planned = plans(state);
  planned.unknown ??= planOf([...state.unknownHandlers, ...state.anyHandlers].map((handler) => asReceived(handler as KeyedHandler)));
  return planned.unknown;
}

/** A normalized event (from a vendor format): the handlers of its kind. */
export function normalizedPlan(state: EventHandlerState, kind: NormalizedKind): Plan {
  const { normalized } = plans(state);
  let plan = normalized.get(kind);
  if (!plan) normalized.set(kind, (plan = planOf(state.keyed.filter(({ keys }) => keys.has(kind)).map(({ handler }) => asReceived(handler)))));
  return plan;
}
