import { on, register } from './on.js';
import { forgetPlans } from './plans.js';
import { receive, receiveNow } from './receive.js';
import { createState, type EventHandlerState } from './state.js';
import type { EventHandlerOptions, EventReceiver } from './types.js';

/** The receiver and the state behind it, for the HTTP receiver built on top (which reports its own errors to `onError`). */
export function createEventHandlerWithState(options: EventHandlerOptions): { receiver: EventReceiver; state: EventHandlerState } {
  const state = createState(options);
  const receiver: EventReceiver = {
    on(keys, handler) {
      on(state, keys, handler);
      return receiver;
    },
    onAny(handler) {
      register(state.anyHandlers, 'onAny', handler);
      forgetPlans(state);
      return receiver;
    },
    onUnknown(handler) {
      register(state.unknownHandlers, 'onUnknown', handler);
      forgetPlans(state);
      return receiver;
    },
    onError(handler) {
      register(state.errorHandlers, 'onError', handler);
      return receiver;
    },
    receive: (event: Parameters<typeof receive>[1], context: Parameters<typeof receive>[2]) => receive(state, event, context),
    receiveNow: (event: Parameters<typeof receive>[1], context: Parameters<typeof receive>[2]) => receiveNow(state, event, context),
  } as EventReceiver;
  return { receiver, state };
}

/**
 * Typed dispatch without HTTP: register handlers with `on`, `onAny`, `onUnknown` and `onError`,
 * then `receive(event, context)` from any source (a queue consumer, a test). Events are
 * deduplicated by id (scoped by sender and format) unless `dedupe: false`. Throws
 * `WebhookConfigError` for options that cannot work.
 */
export function createEventHandler(options: EventHandlerOptions = {}): EventReceiver {
  return createEventHandlerWithState(options).receiver;
}
