import type { Event } from '@regevents/types';
import type { Clock } from './clock.js';
import { rfc3339 } from './clock.js';
import { goStatusLine } from './http-status.js';

/** The parts of an endpoint's configuration that delivery uses (a subset of `@regevents/config`'s EndpointConfig). */
export interface DeliveryEndpoint {
  name: string;
  url: string;
  headers: Record<string, string[]>;
  timeoutMs: number;
  threshold: number;
  backoffMs: number;
}

/** One POST of an envelope to an endpoint. */
export interface DeliveryAttempt {
  /** When the attempt started (RFC 3339, from the registry's clock). */
  at: string;
  /** The final HTTP status, when the endpoint answered. */
  status?: number;
  /** Why the attempt failed without a status (network error, timeout). */
  error?: string;
}

/** The life of one envelope at one endpoint. */
export interface EndpointDelivery {
  endpoint: string;
  url: string;
  /** The request headers as sent. */
  headers: Record<string, string>;
  attempts: DeliveryAttempt[];
  /** True once an attempt got a 2xx or 3xx; the registry retries forever until then. */
  delivered: boolean;
}

/** Shaped like the registry's `Metrics` under `/debug/vars`: counts are attempts, not unique events. */
export interface EndpointMetrics {
  Pending: number;
  Events: number;
  Successes: number;
  Failures: number;
  Errors: number;
  Statuses: Record<string, number>;
}

export interface SenderOptions {
  clock: Clock;
  fetch: () => typeof fetch;
  contentType: string;
  userAgent: string;
  /** Test hook: replaces the endpoint's answer for this attempt with a failure when it returns a status or an Error. */
  fault?: (endpoint: string, attempt: number) => number | Error | undefined;
  /** Told the outcome of every attempt, e.g. to log deliveries. */
  onAttempt?: (endpoint: string, event: Event, attempt: DeliveryAttempt) => void;
}

const DEFAULTS = { timeoutMs: 1_000, threshold: 10, backoffMs: 1_000 };

interface Queued {
  body: string;
  event: Event;
  record: EndpointDelivery;
}

/**
 * One endpoint's FIFO queue and its single sender, with distribution's retrying sink: the first
 * `threshold` failures are retried back to back, then one attempt per `backoff`, forever; a
 * success resets the count. Waits use the injected clock so tests run the policy instantly.
 */
export class EndpointSender {
  readonly endpoint: DeliveryEndpoint;
  readonly metrics: EndpointMetrics = { Pending: 0, Events: 0, Successes: 0, Failures: 0, Errors: 0, Statuses: {} };
  readonly #options: SenderOptions;
  readonly #queue: Queued[] = [];
  readonly #idleWaiters: (() => void)[] = [];
  #running = false;
  #stopped = false;
  #recentFailures = 0;
  #abort = new AbortController();

  constructor(endpoint: DeliveryEndpoint, options: SenderOptions) {
    this.endpoint = {
      ...endpoint,
      timeoutMs: endpoint.timeoutMs > 0 ? endpoint.timeoutMs : DEFAULTS.timeoutMs,
      threshold: endpoint.threshold > 0 ? endpoint.threshold : DEFAULTS.threshold,
      backoffMs: endpoint.backoffMs > 0 ? endpoint.backoffMs : DEFAULTS.backoffMs,
    };
    this.#options = options;
  }

  /** Queues an envelope body; returns the record its attempts will be written to. */
  enqueue(body: string, event: Event): EndpointDelivery {
    const record: EndpointDelivery = { endpoint: this.endpoint.name, url: this.endpoint.url, headers: this.#headers(), attempts: [], delivered: false };
    this.#queue.push({ body, event, record });
    this.metrics.Events += 1;
    this.metrics.Pending += 1;
    if (!this.#running && !this.#stopped) void this.#run();
    return record;
  }

  /** Resolves when the queue is empty. */
  idle(): Promise<void> {
    if (this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Drops what is queued, as the registry does on shutdown, and stops sending. */
  stop(): void {
    this.#stopped = true;
    this.#abort.abort(new Error('registry stopped'));
    this.#queue.length = 0;
    this.metrics.Pending = 0;
    this.#wakeIdle();
  }

  #headers(): Record<string, string> {
    // Go's client writes User-Agent first, then the configured headers, then Content-Type.
    const headers: Record<string, string> = { 'User-Agent': this.#options.userAgent };
    for (const [name, values] of Object.entries(this.endpoint.headers)) headers[name] = values.join(', ');
    headers['Content-Type'] = this.#options.contentType;
    headers['Accept-Encoding'] = 'gzip';
    return headers;
  }

  async #run(): Promise<void> {
    this.#running = true;
    try {
      for (let next = this.#queue[0]; next && !this.#stopped; next = this.#queue[0]) {
        await this.#deliver(next);
        if (this.#stopped) return;
        this.#queue.shift();
        this.metrics.Pending -= 1;
      }
    } finally {
      this.#running = false;
      if (this.#queue.length === 0) this.#wakeIdle();
    }
  }

  #wakeIdle(): void {
    for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  async #deliver(item: Queued): Promise<void> {
    const { threshold, backoffMs } = this.endpoint;
    while (!this.#stopped) {
      if (this.#recentFailures >= threshold) {
        try {
          await this.#options.clock.sleep(backoffMs, this.#abort.signal);
        } catch {
          return;
        }
      }
      const delivered = await this.#attempt(item);
      this.#options.onAttempt?.(this.endpoint.name, item.event, item.record.attempts.at(-1) as DeliveryAttempt);
      if (delivered) {
        this.#recentFailures = 0;
        item.record.delivered = true;
        return;
      }
      this.#recentFailures += 1;
    }
  }

  async #attempt(item: Queued): Promise<boolean> {
    const attempt: DeliveryAttempt = { at: rfc3339(this.#options.clock.now()) };
    item.record.attempts.push(attempt);
    const injected = this.#options.fault?.(this.endpoint.name, item.record.attempts.length);
    if (injected instanceof Error) return this.#error(attempt, injected);
    if (typeof injected === 'number') return this.#status(attempt, injected);
    const timeout = AbortSignal.timeout(this.endpoint.timeoutMs);
    try {
      const response = await this.#options.fetch()(this.endpoint.url, {
        method: 'POST',
        headers: item.record.headers,
        body: item.body,
        signal: AbortSignal.any([timeout, this.#abort.signal]),
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
    this.metrics.Statuses[line] = (this.metrics.Statuses[line] ?? 0) + 1;
    const ok = status >= 200 && status < 400;
    if (ok) this.metrics.Successes += 1;
    else this.metrics.Failures += 1;
    return ok;
  }

  #error(attempt: DeliveryAttempt, error: Error): boolean {
    attempt.error = error.message;
    this.metrics.Errors += 1;
    return false;
  }
}
