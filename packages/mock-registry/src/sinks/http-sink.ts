import { rfc3339, type Clock } from '../clock.js';
import type { DeliveryAttempt, EndpointMetrics } from '../delivery.js';
import { goStatusLine } from '../http-status.js';
import type { Delivery, Sink } from './sink.js';

export interface HttpSinkOptions {
  endpoint: string;
  url: string;
  timeoutMs: number;
  clock: Clock;
  fetch: () => typeof fetch;
  /** Test hook: replaces the endpoint's answer for this attempt with a failure when it returns a status or an Error. */
  fault?: (endpoint: string, attempt: number) => number | Error | undefined;
  /** Aborts an attempt in flight when the registry stops. */
  signal: AbortSignal;
}

/**
 * distribution's httpSink (notifications/http.go): one POST per write, accepted on a final status
 * 200–399. Counts as the registry's metrics do: a status is a Success or a Failure, a transport
 * error an Error.
 */
export class HttpSink implements Sink {
  readonly #options: HttpSinkOptions;
  readonly #metrics: EndpointMetrics;

  constructor(options: HttpSinkOptions, metrics: EndpointMetrics) {
    this.#options = options;
    this.#metrics = metrics;
  }

  async write(delivery: Delivery): Promise<boolean> {
    const attempt: DeliveryAttempt = { at: rfc3339(this.#options.clock.now()) };
    delivery.record.attempts.push(attempt);
    const injected = this.#options.fault?.(this.#options.endpoint, delivery.record.attempts.length);
    if (injected instanceof Error) return this.#error(attempt, injected);
    if (typeof injected === 'number') return this.#status(attempt, injected);
    try {
      const response = await this.#options.fetch()(this.#options.url, {
        method: 'POST',
        headers: delivery.record.headers,
        body: delivery.body,
        signal: AbortSignal.any([AbortSignal.timeout(this.#options.timeoutMs), this.#options.signal]),
      });
      // The registry reads and drops the body; draining frees the connection.
      await response.arrayBuffer().catch(() => undefined);
      return this.#status(attempt, response.status);
    } catch (error) {
      return this.#error(attempt, error instanceof Error ? error : new Error(String(error)));
    }
  }

  #status(attempt: DeliveryAttempt, status: number): boolean {
    attempt.status = status;
    const line = goStatusLine(status);
    this.#metrics.Statuses[line] = (this.#metrics.Statuses[line] ?? 0) + 1;
    const ok = status >= 200 && status < 400;
    if (ok) this.#metrics.Successes += 1;
    else this.#metrics.Failures += 1;
    return ok;
  }

  #error(attempt: DeliveryAttempt, error: Error): boolean {
    attempt.error = error.message;
    this.#metrics.Errors += 1;
    return false;
  }
}
