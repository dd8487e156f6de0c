import {
  NORMALIZED_KINDS,
  RegEventsFormatError,
  detectFormat,
  identifiesOccurrence,
  normalize,
  normalizeDistributionEvent,
  type FormatId,
  type NormalizedKind,
  type NormalizedRegistryEvent,
  type RegistryKind,
} from '@regevents/formats';
import { validateEvent, type ValidationIssue } from '@regevents/schemas';
import { EVENTS_MEDIA_TYPE_V1, EVENTS_MEDIA_TYPE_V2, type Event } from '@regevents/types';
import { fromFetchRequest, fromNodeRequest, toResponse, writeNodeResponse, type ConnectionInfo, type NodeRequestLike, type NodeResponseLike, type Outcome } from './adapters.js';
import { createAuthenticator, type AuthOptions, type Authenticator } from './auth.js';
import { createMemoryDedupeStore, type DedupeStore } from './dedupe.js';
import type { IncomingDelivery } from './delivery.js';
import { EVENT_KEYS, eventKey, isKnownAction, type EventKey, type EventsByKey, type UnknownEvent } from './dispatch.js';
import { BodyTooLargeError, HandlerFailedError, RawBodyUnavailableError, WebhookConfigError } from './errors.js';
import { createSenders } from './senders.js';

export const ACCEPTED_CONTENT_TYPES: readonly string[] = [EVENTS_MEDIA_TYPE_V1, EVENTS_MEDIA_TYPE_V2, 'application/json'];
/** Harbor's CloudEvents payload format, accepted too when `formats` is set. */
const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface DedupeOptions {
  /** Default: an in-memory LRU store (one process). Use `createRedisDedupeStore` when several receivers share the work. */
  store?: DedupeStore;
  /** How long a delivery holds an event while its handlers run; a crashed holder's claim lapses after it. Default 60 s. */
  leaseMs?: number;
  /** How long a handled id is remembered. Default 24 h. */
  ttlMs?: number;
}

export interface WebhookHandlerOptions {
  /** The top-level strategies authenticate distribution envelopes; with `formats`, each other vendor has its own entry. */
  auth: AuthOptions;
  /**
   * Accept these registry formats (`@regevents/formats`), each authenticated with its vendor's
   * credentials in `auth`, and dispatch normalized kinds (`on('artifact.pushed', ...)`). Without
   * it the receiver takes distribution envelopes only, as a distribution-only receiver.
   */
  formats?: readonly FormatId[];
  /** Largest body accepted, in bytes; larger ones get 413 and are not read further. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * What to answer to an authenticated delivery that is not a valid notification. `acknowledge`
   * (default) answers 200 and calls `onInvalid`; `reject` answers 400, and the registry will retry it forever.
   */
  invalid?: 'acknowledge' | 'reject';
  /** Validate distribution envelopes in strict mode: unknown fields make an event invalid. Default false. Vendor formats are validated by their own schemas. */
  strict?: boolean;
  /** Deduplication by event id; `false` runs handlers on every delivery. */
  dedupe?: DedupeOptions | false;
}

/** Facts about the HTTP delivery that carried an event. */
export interface DeliveryInfo {
  receivedAt: Date;
  contentType: string;
  remoteAddress: string | undefined;
  /** Number of events in the envelope. */
  eventCount: number;
}

export interface EventContext {
  /** The envelope as received; events in it may be invalid or of unknown actions. */
  envelope: { events: readonly unknown[] };
  /** Position of this event in the envelope. */
  index: number;
  headers: Headers;
  delivery: DeliveryInfo;
}

/** Facts about the delivery of a normalized event. */
export interface NormalizedEventContext {
  /** The wire format the body was read as. */
  format: FormatId;
  /** Position of this event among those the body normalized into (for envelopes: its position in the envelope). */
  index: number;
  headers: Headers;
  delivery: DeliveryInfo;
}

/** A payload that failed validation; `index` is set when one event of an otherwise readable envelope failed. */
export interface InvalidPayload {
  issues: readonly ValidationIssue[];
  value: unknown;
  index?: number;
  /** The format the body was recognised as, when it was. */
  format?: FormatId;
}

export interface InvalidContext {
  headers: Headers;
  delivery: DeliveryInfo;
}

export interface ErrorContext {
  event?: Event | UnknownEvent;
  /** The normalized event whose handler failed. */
  normalized?: NormalizedRegistryEvent;
  headers?: Headers;
}

/** A normalized event of one kind. */
export type NormalizedEventOf<K extends NormalizedKind> = NormalizedRegistryEvent & { kind: K };
/** What `on()` takes: distribution keys (`push:manifest`) and, with `formats`, normalized kinds (`artifact.pushed`). */
export type DispatchKey = EventKey | NormalizedKind;
export type DispatchedEvent<K extends DispatchKey> = K extends EventKey ? EventsByKey[K] : K extends NormalizedKind ? NormalizedEventOf<K> : never;
export type DispatchContext<K extends DispatchKey> = K extends EventKey ? EventContext : NormalizedEventContext;

type Awaitable<T> = T | Promise<T>;
export type EventHandler<K extends DispatchKey> = (event: DispatchedEvent<K>, context: DispatchContext<K>) => Awaitable<unknown>;
export type AnyEventHandler = (event: Event | UnknownEvent, context: EventContext) => Awaitable<unknown>;
export type UnknownEventHandler = (event: UnknownEvent, context: EventContext) => Awaitable<unknown>;
export type InvalidHandler = (invalid: InvalidPayload, context: InvalidContext) => Awaitable<unknown>;
export type ErrorHandler = (error: unknown, context: ErrorContext) => Awaitable<unknown>;

export interface WebhookHandler {
  /** Web-standard entry: Node 20+, Bun, Deno, Cloudflare Workers, Next.js route handlers, Hono. */
  fetch: (request: Request, connection?: ConnectionInfo) => Promise<Response>;
  /** node:http entry, also for Express (`app.post(path, hooks.node)`) and Fastify (`request.raw`, `reply.raw`). */
  node: (req: NodeRequestLike, res: NodeResponseLike) => Promise<void>;
  /**
   * Runs `handler` for events of one key or several: distribution keys (`push` gets every push,
   * `push:manifest` only manifest pushes) and, with `formats`, normalized kinds (`artifact.pushed`).
   */
  on<K extends DispatchKey>(keys: K | readonly K[], handler: EventHandler<K>): WebhookHandler;
  /** Runs for every distribution event, known or not, after the keyed handlers. */
  onAny(handler: AnyEventHandler): WebhookHandler;
  /** Runs for events whose action this SDK does not know; they are never validated and never crash the receiver. */
  onUnknown(handler: UnknownEventHandler): WebhookHandler;
  /** Runs for authenticated payloads that are not valid notifications. */
  onInvalid(handler: InvalidHandler): WebhookHandler;
  /** Runs when a handler throws (the delivery then gets 500) or the receiver is misconfigured. Default: console.error. */
  onError(handler: ErrorHandler): WebhookHandler;
}

type Result = 'handled' | 'duplicate' | 'in-flight' | 'failed';
type KeyedHandler = (event: never, context: never) => Awaitable<unknown>;

/** The normalized view of a distribution event, for handlers of normalized kinds. */
interface NormalizedView {
  event: NormalizedRegistryEvent;
  context: NormalizedEventContext;
}

/** One event to claim, run and record: a distribution event (with its normalized view, when formats are on) or a normalized one. */
interface Dispatch {
  /** The event's id, for errors. */
  id: string | undefined;
  /** What its deliveries share in the dedupe store; absent when nothing identifies the occurrence. */
  dedupeKey: string | undefined;
  errorContext: ErrorContext;
  run(): Promise<void>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Success carries no body: the registry reads only the status, and an empty body is the cheapest write. */
const ACKNOWLEDGED: Outcome = { status: 200, headers: {}, body: '' };

function plain(status: number, text: string, headers: Record<string, string> = {}): Outcome {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: text };
}

function mediaTypeOf(value: string | undefined): string {
  return (value ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
}

function positive(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) throw new WebhookConfigError(`${option} must be a positive number`);
  return value;
}

function prefixIssues(issues: readonly ValidationIssue[], index: number): ValidationIssue[] {
  return issues.map((issue) => ({ ...issue, path: issue.path === '(root)' ? `events[${index}]` : `events[${index}].${issue.path}` }));
}

type Classified = { kind: 'known'; event: Event; index: number } | { kind: 'unknown'; event: UnknownEvent; index: number } | { kind: 'invalid'; invalid: InvalidPayload };

/** Unknown actions are recognised before validation, which would reject them. */
function classify(events: readonly unknown[], strict: boolean): Classified[] {
  return events.map((raw, index): Classified => {
    const action = (raw as { action?: unknown } | null)?.action;
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && typeof action === 'string' && action !== '' && !isKnownAction(action)) {
      return { kind: 'unknown', event: raw as UnknownEvent, index };
    }
    const result = validateEvent(raw, { strict });
    return result.ok
      ? { kind: 'known', event: result.value, index }
      : { kind: 'invalid', invalid: { issues: prefixIssues(result.issues, index), value: raw, index } };
  });
}

/** Adds `headers`, built on first use: building a Headers object costs more than validating an event. */
function withHeaders<T extends object>(fields: T, delivery: IncomingDelivery): T & { headers: Headers } {
  return {
    ...fields,
    get headers() {
      return delivery.headers();
    },
  };
}

/**
 * Ids are unique only within what one sender sends in one format: scoped so, an ACR body carrying
 * a distribution event's id cannot mark that event handled.
 */
function dedupeKeyOf(sender: RegistryKind, format: FormatId, id: string | undefined): string | undefined {
  return id === undefined ? undefined : `${sender}/${format}:${id}`;
}

function answer(failed: boolean, inFlight: boolean): Outcome {
  if (failed) return plain(500, 'Internal Server Error');
  if (inFlight) return plain(503, 'Service Unavailable: another delivery of this event is being handled', { 'retry-after': '1' });
  return ACKNOWLEDGED;
}

/** Creates a receiver for registry notifications. Throws `WebhookConfigError` for options that cannot work. */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  if (!options || typeof options !== 'object') throw new WebhookConfigError('createWebhookHandler needs options: { auth: { bearer: token } }');
  if (!options.auth || typeof options.auth !== 'object') {
    throw new WebhookConfigError('auth is required: pass { bearer: token } (or basic, header, standardWebhooks, ip), or { unauthenticated: true } to opt out');
  }
  const senders = createSenders(options.auth, options.formats);
  // without formats, one authenticator for distribution envelopes, on the synchronous hot path
  const auth: Authenticator | undefined = senders ? undefined : createAuthenticator(options.auth);
  const contentTypes = senders ? [...ACCEPTED_CONTENT_TYPES, CLOUDEVENTS_CONTENT_TYPE] : ACCEPTED_CONTENT_TYPES;
  const maxBodyBytes = positive(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 'maxBodyBytes');
  const rejectInvalid = options.invalid === 'reject';
  if (options.invalid !== undefined && options.invalid !== 'reject' && options.invalid !== 'acknowledge') {
    throw new WebhookConfigError('invalid must be "acknowledge" or "reject"');
  }
  const strict = options.strict === true;
  const dedupeOptions = options.dedupe === false ? undefined : (options.dedupe ?? {});
  const store = dedupeOptions ? (dedupeOptions.store ?? createMemoryDedupeStore()) : undefined;
  const leaseMs = positive(dedupeOptions?.leaseMs, 60_000, 'dedupe.leaseMs');
  const ttlMs = positive(dedupeOptions?.ttlMs, 24 * 60 * 60 * 1000, 'dedupe.ttlMs');

  const keyed: { keys: ReadonlySet<DispatchKey>; handler: KeyedHandler }[] = [];
  const anyHandlers: AnyEventHandler[] = [];
  const unknownHandlers: UnknownEventHandler[] = [];
  const invalidHandlers: InvalidHandler[] = [];
  const errorHandlers: ErrorHandler[] = [];

  async function reportError(error: unknown, context: ErrorContext): Promise<void> {
    if (errorHandlers.length === 0) {
      console.error('[@regevents/webhooks]', error);
      return;
    }
    for (const handler of errorHandlers) {
      try {
        await handler(error, context);
      } catch (hookError) {
        console.error('[@regevents/webhooks] onError handler threw', hookError);
      }
    }
  }

  /** A handler registered for a distribution key and a normalized kind runs once, with the distribution event. */
  async function runEnvelopeHandlers(item: Extract<Classified, { kind: 'known' | 'unknown' }>, context: EventContext, normalized: NormalizedView | undefined): Promise<void> {
    if (item.kind === 'known') {
      const fine = eventKey(item.event);
      for (const { keys, handler } of keyed) {
        if (keys.has(item.event.action) || keys.has(fine)) await handler(item.event as never, context as never);
        else if (normalized && keys.has(normalized.event.kind)) await handler(normalized.event as never, normalized.context as never);
      }
    } else {
      for (const handler of unknownHandlers) await handler(item.event, context);
    }
    for (const handler of anyHandlers) await handler(item.event, context);
  }

  async function runNormalizedHandlers(event: NormalizedRegistryEvent, context: NormalizedEventContext): Promise<void> {
    for (const { keys, handler } of keyed) if (keys.has(event.kind)) await handler(event as never, context as never);
  }

  async function processEvent({ id, dedupeKey, errorContext, run }: Dispatch, delivery: IncomingDelivery): Promise<Result> {
    let token: string | undefined;
    try {
      if (store && dedupeKey !== undefined) {
        const claim = await store.claim(dedupeKey, leaseMs);
        if (claim.status === 'done') return 'duplicate';
        if (claim.status === 'in-flight') return 'in-flight';
        token = claim.token;
      }
      await run();
      if (store && dedupeKey !== undefined && token !== undefined) await store.complete(dedupeKey, token, ttlMs);
      return 'handled';
    } catch (error) {
      if (store && dedupeKey !== undefined && token !== undefined) await store.release(dedupeKey, token).catch((releaseError: unknown) => reportError(releaseError, errorContext));
      await reportError(new HandlerFailedError(id, error), { ...errorContext, headers: delivery.headers() });
      return 'failed';
    }
  }

  async function reportInvalid(invalid: InvalidPayload, context: InvalidContext): Promise<boolean> {
    try {
      for (const handler of invalidHandlers) await handler(invalid, context);
      return true;
    } catch (error) {
      await reportError(error, { headers: context.headers });
      return false;
    }
  }

  /** The rest of a delivery's story once its body is authenticated and parsed. */
  interface Parsed {
    delivery: IncomingDelivery;
    value: unknown;
    deliveryInfo: DeliveryInfo;
    refuseOrAcknowledge(invalid: InvalidPayload): Promise<Outcome>;
    invalidContext: InvalidContext;
  }

  /** A `{"events": [...]}` body from a distribution sender, dispatched to distribution keys (and normalized kinds, with formats). */
  async function dispatchEnvelope({ delivery, value, deliveryInfo, refuseOrAcknowledge, invalidContext }: Parsed): Promise<Outcome> {
    const events = (value as { events?: unknown } | null)?.events;
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Array.isArray(events)) {
      return refuseOrAcknowledge({ issues: [{ path: 'events', message: 'must be an array (the body is not {"events": [...]})' }], value });
    }

    deliveryInfo.eventCount = events.length;
    const classified = classify(events, strict);
    const invalid = classified.filter((item): item is Extract<Classified, { kind: 'invalid' }> => item.kind === 'invalid');
    if (rejectInvalid && invalid.length > 0) {
      for (const item of invalid) await reportInvalid(item.invalid, invalidContext);
      return plain(400, 'Bad Request: not a registry notification');
    }

    const envelope = value as { events: readonly unknown[] };
    let failed = false;
    let inFlight = false;
    // in envelope order: a blob push before the manifest push that needs it
    for (const item of classified) {
      if (item.kind === 'invalid') {
        if (!(await reportInvalid(item.invalid, invalidContext))) failed = true;
        continue;
      }
      const context: EventContext = withHeaders({ envelope, index: item.index, delivery: deliveryInfo }, delivery);
      const normalized: NormalizedView | undefined =
        senders && item.kind === 'known' ? { event: normalizeDistributionEvent(item.event), context: withHeaders({ format: 'distribution' as const, index: item.index, delivery: deliveryInfo }, delivery) } : undefined;
      const id = typeof item.event.id === 'string' && item.event.id !== '' ? item.event.id : undefined;
      const errorContext: ErrorContext = normalized ? { event: item.event, normalized: normalized.event } : { event: item.event };
      const result = await processEvent({ id, dedupeKey: dedupeKeyOf('distribution', 'distribution', id), errorContext, run: () => runEnvelopeHandlers(item, context, normalized) }, delivery);
      if (result === 'failed') failed = true;
      else if (result === 'in-flight') inFlight = true;
    }
    return answer(failed, inFlight);
  }

  /** Any other format: normalized by `@regevents/formats`, dispatched to normalized kinds. */
  async function dispatchNormalized({ delivery, value, deliveryInfo, refuseOrAcknowledge }: Parsed, sender: RegistryKind, format: FormatId): Promise<Outcome> {
    let events: NormalizedRegistryEvent[];
    try {
      events = await normalize(value, delivery.headers(), { formats: [format] });
    } catch (error) {
      if (error instanceof RegEventsFormatError) return refuseOrAcknowledge({ issues: error.issues, value, format });
      throw error;
    }
    deliveryInfo.eventCount = events.length;
    let failed = false;
    let inFlight = false;
    for (const [index, event] of events.entries()) {
      const context: NormalizedEventContext = withHeaders({ format, index, delivery: deliveryInfo }, delivery);
      const dedupeKey = identifiesOccurrence(event) ? dedupeKeyOf(sender, format, event.id) : undefined;
      const result = await processEvent({ id: event.id, dedupeKey, errorContext: { normalized: event }, run: () => runNormalizedHandlers(event, context) }, delivery);
      if (result === 'failed') failed = true;
      else if (result === 'in-flight') inFlight = true;
    }
    return answer(failed, inFlight);
  }

  async function handle(delivery: IncomingDelivery): Promise<Outcome> {
    if (delivery.method !== 'POST') return plain(405, 'Method Not Allowed', { allow: 'POST' });
    const unauthorized = () => plain(401, 'Unauthorized');
    // header checks before the body is read: a stranger's body is never buffered
    const headerChecks = senders ? await senders.beforeBody(delivery) : undefined;
    if (headerChecks ? !headerChecks.includes(true) : !auth?.beforeBody(delivery)) return unauthorized();
    const contentType = mediaTypeOf(delivery.headerValues('content-type')[0]);
    if (!contentTypes.includes(contentType)) return plain(415, 'Unsupported Media Type', { accept: contentTypes.join(', ') });
    const tooLarge = () => plain(413, `Payload Too Large (limit ${maxBodyBytes} bytes)`, { connection: 'close' });
    const declaredLength = Number(delivery.headerValues('content-length')[0] ?? 0);
    if (declaredLength > maxBodyBytes) return tooLarge();

    let body: Uint8Array;
    try {
      body = await delivery.readBody(maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return tooLarge();
      if (error instanceof RawBodyUnavailableError) {
        await reportError(error, {});
        return plain(500, error.message);
      }
      return plain(400, 'Bad Request: the request body could not be read');
    }
    const authenticated = senders && headerChecks ? await senders.afterBody(delivery, body, headerChecks) : undefined;
    if (authenticated ? authenticated.size === 0 : auth?.afterBody && !(await auth.afterBody(delivery, body))) return unauthorized();

    const deliveryInfo: DeliveryInfo = { receivedAt: new Date(), contentType, remoteAddress: delivery.remoteAddress, eventCount: 0 };
    const invalidContext: InvalidContext = withHeaders({ delivery: deliveryInfo }, delivery);
    const refuseOrAcknowledge = async (invalid: InvalidPayload): Promise<Outcome> => {
      const reported = await reportInvalid(invalid, invalidContext);
      if (!reported) return plain(500, 'Internal Server Error');
      return rejectInvalid ? plain(400, 'Bad Request: not a registry notification') : ACKNOWLEDGED;
    };

    let value: unknown;
    try {
      value = JSON.parse(utf8.decode(body));
    } catch (error) {
      const reason = error instanceof SyntaxError ? error.message : 'is not valid UTF-8';
      return refuseOrAcknowledge({ issues: [{ path: '(body)', message: `is not valid JSON (${reason})` }], value: undefined });
    }
    const parsed: Parsed = { delivery, value, deliveryInfo, refuseOrAcknowledge, invalidContext };
    if (!senders || !authenticated) return dispatchEnvelope(parsed);

    // the format picks whose credentials count: a body is accepted only from its own registry's sender
    const format = detectFormat(value, delivery.headers());
    if (!format) return refuseOrAcknowledge({ issues: [{ path: '(body)', message: 'matches no known registry format' }], value });
    const route = senders.route(format, authenticated);
    if (route === 'unauthenticated') return unauthorized();
    if (route === 'not-accepted') return refuseOrAcknowledge({ issues: [{ path: '(body)', message: `is ${format}, which is not among the accepted formats` }], value, format });
    return route.sender === 'distribution' ? dispatchEnvelope(parsed) : dispatchNormalized(parsed, route.sender, route.format);
  }

  async function safely(delivery: IncomingDelivery): Promise<Outcome> {
    try {
      return await handle(delivery);
    } catch (error) {
      await reportError(error, {});
      return plain(500, 'Internal Server Error');
    }
  }

  const summary = () =>
    `WebhookHandler { auth: ${senders ? senders.describe() : auth?.describe()}, ${senders ? `formats: ${senders.formats.join(', ')}, ` : ''}dedupe: ${store ? 'on' : 'off'}, maxBodyBytes: ${maxBodyBytes} }`;
  /** A registration method: checks the callback, appends it, and returns the handler for chaining. */
  const registerInto =
    <T>(list: T[], method: string) =>
    (callback: T): WebhookHandler => {
      if (typeof callback !== 'function') throw new WebhookConfigError(`${method}() takes a function`);
      list.push(callback);
      return handler;
    };
  const handler: WebhookHandler = {
    fetch: async (request, connection) => toResponse(await safely(fromFetchRequest(request, connection))),
    node: async (req, res) => writeNodeResponse(res, await safely(fromNodeRequest(req))),
    on(keys, eventHandler) {
      const list = (Array.isArray(keys) ? keys : [keys]) as readonly DispatchKey[];
      const unknownKey = list.find((key) => !EVENT_KEYS.includes(key as EventKey) && !NORMALIZED_KINDS.includes(key as NormalizedKind));
      if (list.length === 0 || unknownKey !== undefined) {
        throw new WebhookConfigError(`on() takes keys among ${[...EVENT_KEYS, ...NORMALIZED_KINDS].join(', ')}${unknownKey === undefined ? '' : ` (got ${JSON.stringify(unknownKey)})`}`);
      }
      const normalizedKind = list.find((key) => NORMALIZED_KINDS.includes(key as NormalizedKind));
      if (normalizedKind !== undefined && !senders) throw new WebhookConfigError(`on(${JSON.stringify(normalizedKind)}) needs the formats option: normalized kinds are dispatched only when formats is set`);
      if (typeof eventHandler !== 'function') throw new WebhookConfigError('on() takes a function');
      keyed.push({ keys: new Set(list), handler: eventHandler as KeyedHandler });
      return handler;
    },
    onAny: registerInto(anyHandlers, 'onAny'),
    onUnknown: registerInto(unknownHandlers, 'onUnknown'),
    onInvalid: registerInto(invalidHandlers, 'onInvalid'),
    onError: registerInto(errorHandlers, 'onError'),
  };
  Object.defineProperties(handler, {
    toString: { value: summary },
    toJSON: { value: summary },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: summary },
  });
  return handler;
}
