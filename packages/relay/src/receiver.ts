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

function repositoryOf(event: { target?: { repository?: unknown } }): string {
  return typeof event.target?.repository === 'string' ? event.target.repository : '';
}

function distributionRecordWithId(event: Event | UnknownEvent, id: string): LogRecord {
  return { key: `distribution:${id}`, format: 'distribution', repository: repositoryOf(event as { target?: { repository?: unknown } }), receivedAt: new Date().toISOString(), event };
}

/** At once for an event with an id (all that docker-registry sends); an event without one gets a derived id (a digest, so a promise). */
function distributionRecord(event: Event | UnknownEvent): LogRecord | Promise<LogRecord> {
  if (typeof event.id === 'string' && event.id !== '') return distributionRecordWithId(event, event.id);
  return derivedId('distribution', event).then((id) => distributionRecordWithId(event, id));
}

function normalizedRecord(event: NormalizedRegistryEvent, format: FormatId): LogRecord {
  return { key: `${format}:${event.id}`, format, repository: event.repository, receivedAt: new Date().toISOString(), event };
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
  // failures so far: a 500 from the handler while an append failed is the log's unavailability
  let unavailable = 0;

  async function append(record: LogRecord): Promise<void> {
    const started = performance.now();
    try {
      const result = await withDeadline(log.append(record));
      histogram.observe((performance.now() - started) / 1000);
      if (result.duplicate) stats.duplicates++;
      else stats.appended++;
    } catch (error) {
      stats.failed++;
      unavailable++;
      throw error instanceof LogUnavailableError ? error : new LogUnavailableError(`${log.name} refused an append`, { cause: error });
    }
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
      const before = unavailable;
      const response = await hooks.fetch(request, connection);
      if (response.status !== 500 || unavailable === before) return response;
      return new Response(UNAVAILABLE_BODY, { status: 503, headers: UNAVAILABLE_HEADERS });
    },
    async node(req, res) {
      const before = unavailable;
      let status = 0;
      await hooks.node(req, {
        get headersSent() {
          return res.headersSent;
        },
        writeHead(code, headers) {
          status = code;
          if (code !== 500 || unavailable === before) return res.writeHead(code, headers);
          return res.writeHead(503, { ...UNAVAILABLE_HEADERS, 'content-length': String(new TextEncoder().encode(UNAVAILABLE_BODY).byteLength) });
        },
        end(body) {
          return status === 500 && unavailable !== before ? res.end(UNAVAILABLE_BODY) : res.end(body);
        },
      });
    },
    onError: (handler) => void hooks.onError(handler),
    stats: () => ({ ...stats, latency: histogram.snapshot() }),
  };
}
