import type { Clock } from '../clock.js';
import type { Delivery, Sink } from './sink.js';

/**
 * distribution's retryingSink (notifications/sinks.go): retries a write forever. Its breaker lets
 * attempts through back to back until `threshold` recent failures, then one per `backoff`; a
 * success resets it. Waits use the injected clock, so tests run the policy instantly.
 */
export class RetryingSink implements Sink {
  readonly #sink: Sink;
  readonly #threshold: number;
  readonly #backoffMs: number;
  readonly #clock: Clock;
  readonly #signal: AbortSignal;
  #recentFailures = 0;

  constructor(sink: Sink, options: { threshold: number; backoffMs: number; clock: Clock; signal: AbortSignal }) {
    this.#sink = sink;
    this.#threshold = options.threshold;
    this.#backoffMs = options.backoffMs;
    this.#clock = options.clock;
    this.#signal = options.signal;
  }

  /** Resolves true once written, false if the registry stopped first. */
  async write(delivery: Delivery, onAttempt?: () => void): Promise<boolean> {
    while (!this.#signal.aborted) {
      if (this.#recentFailures >= this.#threshold) {
        try {
          await this.#clock.sleep(this.#backoffMs, this.#signal);
        } catch {
          return false;
        }
      }
      const written = await this.#sink.write(delivery);
      onAttempt?.();
      if (written) {
        this.#recentFailures = 0;
        return true;
      }
      this.#recentFailures += 1;
    }
    return false;
  }
}
