import type { EventHandlerState } from './state.js';
import type { ErrorContext } from './types.js';

/** Tells every `onError` handler; with none, logs. A throwing `onError` handler is logged, never rethrown. */
export async function reportError(state: EventHandlerState, error: unknown, context: ErrorContext): Promise<void> {
  if (state.errorHandlers.length === 0) {
    console.error('[@regevents/webhooks]', error);
    return;
  }
  for (const handler of state.errorHandlers) {
    try {
      await handler(error, context);
    } catch (hookError) {
      console.error('[@regevents/webhooks] onError handler threw', hookError);
    }
  }
}
