import type { NormalizedKind } from '@regevents/formats';
import type { EventKey } from '../dispatch.js';
import type { EventHandlerState, KeyedHandler, Plan, Planned } from './state.js';

function planOf(handlers: Planned[]): Plan {
  return { handlers, takesNormalized: handlers.some(({ normalized }) => normalized) };
}

const asReceived = (handler: KeyedHandler): Planned => ({ handler, normalized: false });

/** After any registration: the next event of each key plans again. */
export function forgetPlans({ plans }: EventHandlerState): void {
  plans.distribution.clear();
  plans.normalized.clear();
  plans.unknown = undefined;
}

/**
 * A known distribution event's handlers in registration order, then `onAny`; a handler registered
 * for its key and its normalized kind runs once, with the distribution event. `kind` is the kind
 * its normalized view would have (undefined when no handler takes normalized kinds).
 */
export function distributionPlan(state: EventHandlerState, action: string, fine: EventKey, kind: NormalizedKind | undefined): Plan {
  const { distribution } = state.plans;
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
  const { plans } = state;
  plans.unknown ??= planOf([...state.unknownHandlers, ...state.anyHandlers].map((handler) => asReceived(handler as KeyedHandler)));
  return plans.unknown;
}

/** A normalized event (from a vendor format): the handlers of its kind. */
export function normalizedPlan(state: EventHandlerState, kind: NormalizedKind): Plan {
  const { normalized } = state.plans;
  let plan = normalized.get(kind);
  if (!plan) normalized.set(kind, (plan = planOf(state.keyed.filter(({ keys }) => keys.has(kind)).map(({ handler }) => asReceived(handler)))));
  return plan;
}
