import { RegEventsFormatError, detectFormat, normalize, type FormatId, type NormalizedRegistryEvent } from '@regevents/formats';
import { EVENTS_MEDIA_TYPE_V1, EVENTS_MEDIA_TYPE_V2 } from '@regevents/types';
import { fromFetchRequest, fromNodeRequest, toResponse, writeNodeResponse, type ConnectionInfo, type NodeRequestLike, type NodeResponseLike, type Outcome } from './adapters.js';
import { createAuthenticator, type AuthOptions, type Authenticator } from './auth.js';
import { classify, type InvalidPayload } from './classify.js';
import type { IncomingDelivery } from './delivery.js';
import { createEventHandlerWithState } from './event-handler/index.js';
import { dispatchKeys, isNormalizedKind, register } from './event-handler/on.js';
import { reportError } from './event-handler/report-error.js';
import { positive } from './event-handler/state.js';
import type { DeliveryInfo, EventContext, EventHandlerOptions, HandlerRegistration, NormalizedEventContext, ReceiveResult } from './event-handler/types.js';
import { BodyTooLargeError, RawBodyUnavailableError, WebhookConfigError } from './errors.js';
import { ACKNOWLEDGED, answerFor, plain } from './outcome.js';
import { createSenders } from './senders.js';

export type { InvalidPayload } from './classify.js';

export const ACCEPTED_CONTENT_TYPES: readonly string[] = [EVENTS_MEDIA_TYPE_V1, EVENTS_MEDIA_TYPE_V2, 'application/json'];
/** Harbor's CloudEvents payload format, accepted too when `formats` is set. */
const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface WebhookHandlerOptions extends EventHandlerOptions {
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
}

export interface InvalidContext {
  headers: Headers;
  delivery: DeliveryInfo;
}

export type InvalidHandler = (invalid: InvalidPayload, context: InvalidContext) => unknown;

export interface WebhookHandler extends HandlerRegistration<WebhookHandler> {
  /** Web-standard entry: Node 20+, Bun, Deno, Cloudflare Workers, Next.js route handlers, Hono. */
  fetch: (request: Request, connection?: ConnectionInfo) => Promise<Response>;
  /** node:http entry, also for Express (`app.post(path, hooks.node)`) and Fastify (`request.raw`, `reply.raw`). */
  node: (req: NodeRequestLike, res: NodeResponseLike) => Promise<void>;
  /** Runs for authenticated payloads that are not valid notifications. */
  onInvalid(handler: InvalidHandler): WebhookHandler;
}

function mediaTypeOf(value: string | undefined): string {
  return (value ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
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
 * Creates a receiver for registry notifications: authentication, body limits, parsing and
 * validation in front of an event handler (`createEventHandler`), which deduplicates and
 * dispatches. Throws `WebhookConfigError` for options that cannot work.
 */
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
  const { receiver, state } = createEventHandlerWithState(options);
  const invalidHandlers: InvalidHandler[] = [];

  async function reportInvalid(invalid: InvalidPayload, context: InvalidContext): Promise<boolean> {
    try {
      for (const handler of invalidHandlers) await handler(invalid, context);
      return true;
    } catch (error) {
      await reportError(state, error, { headers: context.headers });
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

  /** A `{"events": [...]}` body from a distribution sender, dispatched in envelope order: a blob push before the manifest push that needs it. */
  async function dispatchEnvelope({ delivery, value, deliveryInfo, refuseOrAcknowledge, invalidContext }: Parsed): Promise<Outcome> {
    const events = (value as { events?: unknown } | null)?.events;
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Array.isArray(events)) {
      return refuseOrAcknowledge({ issues: [{ path: 'events', message: 'must be an array (the body is not {"events": [...]})' }], value });
    }
    deliveryInfo.eventCount = events.length;
    const classified = classify(events, strict);
    const invalid = classified.flatMap((item) => (item.kind === 'invalid' ? [item.invalid] : []));
    if (rejectInvalid && invalid.length > 0) {
      for (const item of invalid) await reportInvalid(item, invalidContext);
      return plain(400, 'Bad Request: not a registry notification');
    }
    const envelope = value as { events: readonly unknown[] };
    const results: ReceiveResult[] = [];
    for (const item of classified) {
      if (item.kind === 'invalid') {
        if (!(await reportInvalid(item.invalid, invalidContext))) results.push('failed');
        continue;
      }
      const context: EventContext = withHeaders({ envelope, index: item.index, delivery: deliveryInfo }, delivery);
      results.push(await receiver.receive(item.event, context));
    }
    return answerFor(results);
  }

  /** Any other format: normalized by `@regevents/formats`, dispatched to normalized kinds. */
  async function dispatchNormalized({ delivery, value, deliveryInfo, refuseOrAcknowledge }: Parsed, format: FormatId): Promise<Outcome> {
    let events: NormalizedRegistryEvent[];
    try {
      events = await normalize(value, delivery.headers(), { formats: [format] });
    } catch (error) {
      if (error instanceof RegEventsFormatError) return refuseOrAcknowledge({ issues: error.issues, value, format });
      throw error;
    }
    deliveryInfo.eventCount = events.length;
    const results: ReceiveResult[] = [];
    for (const [index, event] of events.entries()) {
      const context: NormalizedEventContext = withHeaders({ format, index, delivery: deliveryInfo }, delivery);
      results.push(await receiver.receive(event, context));
    }
    return answerFor(results);
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
        await reportError(state, error, {});
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
    return route.sender === 'distribution' ? dispatchEnvelope(parsed) : dispatchNormalized(parsed, route.format);
  }

  async function safely(delivery: IncomingDelivery): Promise<Outcome> {
    try {
      return await handle(delivery);
    } catch (error) {
      await reportError(state, error, {});
      return plain(500, 'Internal Server Error');
    }
  }

  const summary = () =>
    `WebhookHandler { auth: ${senders ? senders.describe() : auth?.describe()}, ${senders ? `formats: ${senders.formats.join(', ')}, ` : ''}dedupe: ${state.store ? 'on' : 'off'}, maxBodyBytes: ${maxBodyBytes} }`;
  const handler: WebhookHandler = {
    fetch: async (request, connection) => toResponse(await safely(fromFetchRequest(request, connection))),
    node: async (req, res) => writeNodeResponse(res, await safely(fromNodeRequest(req))),
    on(keys, eventHandler) {
      const normalizedKind = dispatchKeys(keys).find(isNormalizedKind);
      if (normalizedKind !== undefined && !senders) throw new WebhookConfigError(`on(${JSON.stringify(normalizedKind)}) needs the formats option: normalized kinds are dispatched only when formats is set`);
      receiver.on(keys, eventHandler);
      return handler;
    },
    onAny(callback) {
      receiver.onAny(callback);
      return handler;
    },
    onUnknown(callback) {
      receiver.onUnknown(callback);
      return handler;
    },
    onError(callback) {
      receiver.onError(callback);
      return handler;
    },
    onInvalid(callback) {
      register(invalidHandlers, 'onInvalid', callback);
      return handler;
    },
  };
  Object.defineProperties(handler, {
    toString: { value: summary },
    toJSON: { value: summary },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: summary },
  });
  return handler;
}
