import { NORMALIZED_KINDS, toCloudEvent, toHttpBinary, toHttpStructured, type NormalizedRegistryEvent } from '@regevents/formats';
import type { Event } from '@regevents/types';
import { generateTestHeaders, type WebhookSecret } from '@regevents/webhooks';
import type { Consumer } from './consumer.js';
import { RelayConfigError } from './errors.js';

/** A delivery the destination did not take (a transport error, a timeout or a non-2xx answer): the consumer retries it, then dead-letters it. */
export class ForwardError extends Error {
  override name = 'ForwardError';
}

export interface ForwardOptions {
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Longest wait for the destination's answer. Default 10 s. */
  timeoutMs?: number;
  /**
   * `received` (the default): distribution events as the registry sent them, other formats' events
   * normalized. `enriched`: every event normalized, with what the registry left out filled in
   * (`event.derived` says what); the consumer must have been made with `{ enrich }`.
   */
  view?: 'received' | 'enriched';
}

interface Message {
  headers: Record<string, string>;
  body: string;
}

function destination(url: string, option: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new RelayConfigError(`${option} must be an http(s) URL`);
  }
}

/**
 * Registers on `consumer` a handler that sends every event (distribution events as received, other
 * formats' normalized events) with `send`. A failure throws, so the group's retries and dead
 * letters apply, and other repositories and groups go on meanwhile.
 */
function forwardEach(consumer: Consumer, url: URL, options: ForwardOptions, encode: (event: Event | NormalizedRegistryEvent) => Promise<Message>): Consumer {
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const send = async (event: Event | NormalizedRegistryEvent) => {
    const { headers, body } = await encode(event);
    let response: Response;
    try {
      response = await fetchImpl(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new ForwardError(`${url.origin} did not take the event: ${error instanceof Error ? error.message : String(error)}`);
    }
    await response.body?.cancel();
    if (!response.ok) throw new ForwardError(`${url.origin} answered ${response.status}`);
  };
  const view = options.view ?? 'received';
  if (view === 'enriched') return consumer.on('enriched', (event) => send(event));
  if (view !== 'received') throw new RelayConfigError('view must be received or enriched');
  consumer.onAny((event) => send(event as Event));
  consumer.on(NORMALIZED_KINDS, (event, context) => (context.format === 'distribution' ? undefined : send(event)));
  return consumer;
}

export interface ForwardCloudEventsOptions extends ForwardOptions {
  /** The CloudEvents sink (a Knative Broker's address, `K_SINK`, an Argo Events webhook…). */
  sink: string;
  /** `binary` (attributes as `ce-*` headers, the default) or `structured` (`application/cloudevents+json`). */
  mode?: 'binary' | 'structured';
}

/** Forwards the consumer's events to a CloudEvents sink, encoded by `@regevents/formats`' `toCloudEvent`. */
export function forwardCloudEvents(consumer: Consumer, options: ForwardCloudEventsOptions): Consumer {
  const mode = options.mode ?? 'binary';
  if (mode !== 'binary' && mode !== 'structured') throw new RelayConfigError('mode must be binary or structured');
  const encode = mode === 'binary' ? toHttpBinary : toHttpStructured;
  return forwardEach(consumer, destination(options.sink, 'sink'), options, async (event) => encode(toCloudEvent(event)));
}

export interface ForwardWebhookOptions extends ForwardOptions {
  url: string;
  /** The Standard Webhooks secret (`whsec_…`) each delivery is signed with; several to rotate keys. */
  sign: WebhookSecret | readonly WebhookSecret[];
}

/**
 * Forwards the consumer's events as Standard Webhooks: the event as JSON, signed with
 * `webhook-id` (the event's id, the same on every retry), `webhook-timestamp` and
 * `webhook-signature` by `@regevents/webhooks`' signing, so receivers of registries that never
 * sign get verifiable deliveries.
 */
export function forwardWebhook(consumer: Consumer, options: ForwardWebhookOptions): Consumer {
  if (!options.sign || (Array.isArray(options.sign) && options.sign.length === 0)) throw new RelayConfigError('forwardWebhook needs { sign }: a whsec_ secret');
  return forwardEach(consumer, destination(options.url, 'url'), options, async (event) => {
    const body = JSON.stringify(event);
    const signed = await generateTestHeaders({ secret: options.sign, body, id: `msg_${event.id}` });
    return { headers: { 'content-type': 'application/json', ...signed }, body };
  });
}
