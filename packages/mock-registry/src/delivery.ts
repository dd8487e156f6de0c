import { ENDPOINT_DEFAULTS } from '@regevents/config';
import type { Event } from '@regevents/types';
import type { Clock } from './clock.js';
import { EventQueue } from './sinks/event-queue.js';
import { HttpSink } from './sinks/http-sink.js';
import { RetryingSink } from './sinks/retrying-sink.js';

/** The parts of an endpoint's configuration that delivery uses (a subset of `@regevents/config`'s EndpointConfig). */
export interface DeliveryEndpoint {
  name: string;
  url: string;
  headers: Record<string, string[]>;
  timeoutMs: number;
  threshold: number;
  backoffMs: number;
  /** The endpoint's ignore filters (`ignore.mediatypes`, `ignore.actions`): true when the event must be sent. */
  accepts(event: Event): boolean;
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

const nsToMs = (ns: bigint) => Number(ns) / 1e6;

/** Zero or negative settings get the registry's defaults when the endpoint starts (from `@regevents/config`). */
function withDefaults(endpoint: DeliveryEndpoint): DeliveryEndpoint {
  return {
    ...endpoint,
    timeoutMs: endpoint.timeoutMs > 0 ? endpoint.timeoutMs : nsToMs(ENDPOINT_DEFAULTS.timeout),
    threshold: endpoint.threshold > 0 ? endpoint.threshold : ENDPOINT_DEFAULTS.threshold,
    backoffMs: endpoint.backoffMs > 0 ? endpoint.backoffMs : nsToMs(ENDPOINT_DEFAULTS.backoff),
  };
}

/**
 * One endpoint as distribution builds it (notifications/endpoint.go): the ignore filter, in
 * front of an unbounded queue, in front of a retrying sink with its threshold/backoff breaker, in
 * front of the HTTP sink. Metrics are the ones `/debug/vars` shows.
 */
export class EndpointSender {
  readonly endpoint: DeliveryEndpoint;
  readonly metrics: EndpointMetrics = { Pending: 0, Events: 0, Successes: 0, Failures: 0, Errors: 0, Statuses: {} };
  readonly #options: SenderOptions;
  readonly #queue: EventQueue;
  readonly #abort = new AbortController();

  constructor(endpoint: DeliveryEndpoint, options: SenderOptions) {
    this.endpoint = withDefaults(endpoint);
    this.#options = options;
    const { name, url, timeoutMs, threshold, backoffMs } = this.endpoint;
    const { clock, fetch, fault } = options;
    const signal = this.#abort.signal;
    const http = new HttpSink({ endpoint: name, url, timeoutMs, clock, fetch, fault, signal }, this.metrics);
    const retrying = new RetryingSink(http, { threshold, backoffMs, clock, signal });
    this.#queue = new EventQueue(async (delivery) => {
      const written = await retrying.write(delivery, () => options.onAttempt?.(name, delivery.event, delivery.record.attempts.at(-1) as DeliveryAttempt));
      if (written) delivery.record.delivered = true;
      return written;
    }, this.metrics);
  }

  /** Queues an envelope body unless the endpoint ignores its event; returns the record its attempts will be written to. */
  write(body: string, event: Event): EndpointDelivery | undefined {
    if (!this.endpoint.accepts(event)) return undefined;
    const record: EndpointDelivery = { endpoint: this.endpoint.name, url: this.endpoint.url, headers: this.#headers(), attempts: [], delivered: false };
    this.#queue.enqueue({ body, event, record });
    return record;
  }

  /** Resolves when the queue is empty. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /** Drops what is queued, as the registry does on shutdown, and stops sending. */
  stop(): void {
    this.#abort.abort(new Error('registry stopped'));
    this.#queue.stop();
  }

  #headers(): Record<string, string> {
    // Go's client writes User-Agent first, then the configured headers, then Content-Type.
    const headers: Record<string, string> = { 'User-Agent': this.#options.userAgent };
    for (const [name, values] of Object.entries(this.endpoint.headers)) headers[name] = values.join(', ');
    headers['Content-Type'] = this.#options.contentType;
    headers['Accept-Encoding'] = 'gzip';
    return headers;
  }
}
