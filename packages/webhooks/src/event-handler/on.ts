import { NORMALIZED_KINDS, type NormalizedKind } from '@regevents/formats';
import { EVENT_KEYS, type EventKey } from '../dispatch.js';
import { WebhookConfigError } from '../errors.js';
import { forgetPlans } from './plans.js';
import type { EventHandlerState } from './state.js';
import type { DispatchKey, EventHandler } from './types.js';

export function isNormalizedKind(key: DispatchKey): key is NormalizedKind {
  return NORMALIZED_KINDS.includes(key as NormalizedKind);
}

/** The keys `on()` was given, checked: every one a distribution key or a normalized kind. */
export function dispatchKeys(keys: DispatchKey | readonly DispatchKey[]): readonly DispatchKey[] {
  const list = (Array.isArray(keys) ? keys : [keys]) as readonly DispatchKey[];
  const unknownKey = list.find((key) => !EVENT_KEYS.includes(key as EventKey) && !isNormalizedKind(key));
  if (list.length === 0 || unknownKey !== undefined) {
    throw new WebhookConfigError(`on() takes keys among ${[...EVENT_KEYS, ...NORMALIZED_KINDS].join(', ')}${unknownKey === undefined ? '' : ` (got ${JSON.stringify(unknownKey)})`}`);
  }
  return list;
}

export function on<K extends DispatchKey>(state: EventHandlerState, keys: K | readonly K[], handler: EventHandler<K>): void {
  const list = dispatchKeys(keys);
  if (typeof handler !== 'function') throw new WebhookConfigError('on() takes a function');
  state.keyed.push({ keys: new Set(list), handler: handler as (event: never, context: never) => unknown });
  if (list.some(isNormalizedKind)) state.wantsNormalized = true;
  forgetPlans(state);
}

/** `onAny`, `onUnknown`, `onError`...: checks the callback and appends it. */
export function register<T>(list: T[], method: string, callback: T): void {
  if (typeof callback !== 'function') throw new WebhookConfigError(`${method}() takes a function`);
  list.push(callback);
}
