import { NORMALIZED_KINDS, derivedId, type FormatId, type NormalizedRegistryEvent } from '@regevents/formats';
import { createWebhookHandler, type ConnectionInfo, type ErrorHandler, type NodeRequestLike, type NodeResponseLike, type UnknownEvent, type WebhookHandlerOptions } from '@regevents/webhooks';
import type { Event } from '@regevents/types';
import { createDeadline } from './deadline.js';
import { LogUnavailableError } from './errors.js';
import { createLatencyHistogram, type LatencyHistogram } from './latency.js';
import type { RelayLog } from './log.js';
import type { LogRecord } from './record.js';

/** The receiver's options are `createWebhookHandler`'s, less dedupe (the log is idempotent by event id). */
export type ReceiverOptions = Pick<WebhookHandlerOptions, 'auth' | 'formats' | 'maxBodyBytes' | 'invalid' | 'strict'> & {
  /** How long an append may take before the registry gets 503 (and retries). Keep it below the endpoint's `timeout` (1 s by default). Default 750 ms. */
  appendTimeoutMs?: number;
};

export interface AppendStats {
  appended: number;
  duplicates: number;
  failed: number;
  latency: LatencyHistogram;
}

export interface Receiver {
  fetch(request: Request, connection?: ConnectionInfo): Promise<Response>;
  node(req: NodeRequestLike, res: NodeResponseLike): Promise<void>;
  onError(handler: ErrorHandler): void;
  stats(): AppendStats;
}

const UNAVAILABLE_BODY = 'Service Unavailable: the event log did not take the event; it is kept by the registry and retried';
const UNAVAILABLE_HEADERS = { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' };
// node writes a declared length in the head instead of a chunked body; a fetch Response sets its own
const UNAVAILABLE_NODE_HEADERS = { ...UNAVAILABLE_HEADERS, 'content-length': String(new TextEncoder().encode(UNAVAILABLE_BODY).byteLength) };

function repositoryOf(event: { target?: { repository?: unknown } }): string {
  return typeof event.target?.repository === 'string' ? event.target.repository : '';
}

let lastMs = Number.NaN;
let lastIso = '';

/** The time as ISO 8601 text, formatted once per millisecond: under load, many records share one. */
function receivedNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

function distributionRecordWithId(event: Event | UnknownEvent, id: string): LogRecord {
  return { key: `distribution:${id}`, format: 'distribution', repository: repositoryOf(event as { target?: { repository?: unknown } }), receivedAt: receivedNow(), event };
}

/** At once for an event with an id (all that docker-registry sends); an event without one gets a derived id (a digest, so a promise). */
function distributionRecord(event: Event | UnknownEvent): LogRecord | Promise<LogRecord> {
  if (typeof event.id === 'string' && event.id !== '') return distributionRecordWithId(event, event.id);
  return derivedId('distribution', event).then((id) => distributionRecordWithId(event, id));
}

function normalizedRecord(event: NormalizedRegistryEvent, format: FormatId): LogRecord {
  return { key: `${format}:${event.id}`, format, repository: event.repository, receivedAt: receivedNow(), event };
}

/** Appends that failed so far: a 500 from the handler while this count moved is the log's unavailability. */
interface Failures {
  count: number;
}

/** A node response that writes such a 500 as a 503 with retry-after; one small object per request, its methods shared. */
class UnavailableAsServiceUnavailable implements NodeResponseLike {
  readonly #res: NodeResponseLike;
  readonly #failures: Failures;
  readonly #before: number;
  #status = 0;

  constructor(res: NodeResponseLike, failures: Failures) {
    this.#res = res;
    this.#failures = failures;
    this.#before = failures.count;
  }

  get headersSent(): boolean | undefined {
    return this.#res.headersSent;
  }

  #unavailable(): boolean {
    return this.#status === 500 && this.#failures.count !== this.#before;
  }

  writeHead(status: number, headers: Record<string, string>): unknown {
    this.#status = status;
    if (!this.#unavailable()) return this.#res.writeHead(status, headers);
    return this.#res.writeHead(503, UNAVAILABLE_NODE_HEADERS);
  }

  end(body?: string): unknown {
    return this.#unavailable() ? this.#res.end(UNAVAILABLE_BODY) : this.#res.end(body);
  }
}

/**
 * The HTTP side of the relay: `createWebhookHandler` authenticates, limits, parses and validates;
 * its only handler appends to the log. A failed or late append answers 503, so the registry keeps
 * the event and sends it again, and the idempotent append makes the second copy a no-op.
 */
export function createReceiver(log: RelayLog, options: ReceiverOptions): Receiver {
  const withDeadline = createDeadline(options.appendTimeoutMs ?? 750, log.name);
  const hooks = createWebhookHandler({ auth: options.auth, formats: options.formats, maxBodyBytes: options.maxBodyBytes, invalid: options.invalid, strict: options.strict, dedupe: false });
  const histogram = createLatencyHistogram();
  const stats = { appended: 0, duplicates: 0, failed: 0 };
  const failures: Failures = { count: 0 };

  function append(record: LogRecord): Promise<void> {
    const started = performance.now();
    return withDeadline(() => log.append(record)).then(
      (result) => {
        histogram.observe((performance.now() - started) / 1000);
        if (result.duplicate) stats.duplicates++;
        else stats.appended++;
      },
      (error: unknown) => {
        stats.failed++;
        failures.count++;
        throw error instanceof LogUnavailableError ? error : new LogUnavailableError(`${log.name} refused an append`, { cause: error });
      }
    );
  }

  hooks.onAny((event) => {
    const record = distributionRecord(event);
    return record instanceof Promise ? record.then(append) : append(record);
  });
  if (options.formats) {
    hooks.on(NORMALIZED_KINDS, async (event, context) => {
      // distribution events were appended as received, by onAny
      if (context.format !== 'distribution') await append(normalizedRecord(event, context.format));
    });
  }

  return {
    async fetch(request, connection) {
      const before = failures.count;
      const response = await hooks.fetch(request, connection);
      if (response.status !== 500 || failures.count === before) return response;
      return new Response(UNAVAILABLE_BODY, { status: 503, headers: UNAVAILABLE_HEADERS });
    },
    node: (req, res) => hooks.node(req, new UnavailableAsServiceUnavailable(res, failures)),
    onError: (handler) => void hooks.onError(handler),
    stats: () => ({ ...stats, latency: histogram.snapshot() }),
  };
}
