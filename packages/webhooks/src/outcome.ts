import type { Outcome } from './adapters.js';
import type { ReceiveResult } from './event-handler/types.js';

/** Success carries no body: the registry reads only the status, and an empty body is the cheapest write. */
export const ACKNOWLEDGED: Outcome = { status: 200, headers: {}, body: '' };

export function plain(status: number, text: string, headers: Record<string, string> = {}): Outcome {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: text };
}

/** One answer for all the events of a delivery: any failure is a 500 (the registry retries), any event held elsewhere a 503. */
export function answerFor(results: readonly ReceiveResult[]): Outcome {
  if (results.includes('failed')) return plain(500, 'Internal Server Error');
  if (results.includes('in-flight')) return plain(503, 'Service Unavailable: another delivery of this event is being handled', { 'retry-after': '1' });
  return ACKNOWLEDGED;
}
