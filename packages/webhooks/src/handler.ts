import { RegEventsFormatError, detectFormat, normalize, type FormatId, type NormalizedRegistryEvent, type RegistryKind } from '@regevents/formats';
import { EVENTS_MEDIA_TYPE_V1, EVENTS_MEDIA_TYPE_V2 } from '@regevents/types';
import { fromFetchRequest, fromNodeRequest, toResponse, writeNodeResponse, type ConnectionInfo, type NodeRequestLike, type NodeResponseLike, type Outcome } from './adapters.js';
import { createAuthenticator, type Authenticator } from './auth.js';
import type { AuthOptions } from './auth-options.js';
import { classify, type Classified, type InvalidPayload } from './classify.js';
import type { IncomingDelivery } from './delivery.js';
import { DeliveryContext, DistributionEventContext, NormalizedContext } from './event-handler/contexts.js';
import { createEventHandlerWithState } from './event-handler/index.js';
import { dispatchKeys, isNormalizedKind, register } from './event-handler/on.js';
import { receiveNow } from './event-handler/receive.js';
import { reportError } from './event-handler/report-error.js';
import { positive } from './event-handler/state.js';
import type { DeliveryInfo, EventContext, EventHandlerOptions, HandlerRegistration, NormalizedEventContext, ReceiveResult } from './event-handler/types.js';
import { BodyTooLargeError, RawBodyUnavailableError, WebhookConfigError } from './errors.js';
import { andThen, inOrder, isPromiseLike, type MaybePromise } from './maybe-async.js';
import { ACKNOWLEDGED, answerFor, plain } from './outcome.js';
import { createSenders, type Senders } from './senders.js';

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

const UNAUTHORIZED = plain(401, 'Unauthorized');
const REJECTED = plain(400, 'Bad Request: not a registry notification');
const METHOD_NOT_ALLOWED = plain(405, 'Method Not Allowed', { allow: 'POST' });
type Reply = (outcome: Outcome) => void;

function mediaTypeOf(value: string | undefined): string {
  if (value === undefined) return '';
  // indexOf and slice, not split: no array per request
  const parameters = value.indexOf(';');
  return (parameters < 0 ? value : value.slice(0, parameters)).trim().toLowerCase();
}

function eventContext(envelope: { events: readonly unknown[] }, index: number, deliveryInfo: DeliveryInfo, delivery: IncomingDelivery): EventContext {
  return new DistributionEventContext(envelope, index, deliveryInfo, delivery);
}

function normalizedContext(format: FormatId, index: number, deliveryInfo: DeliveryInfo, delivery: IncomingDelivery): NormalizedEventContext {
  return new NormalizedContext(format, index, deliveryInfo, delivery);
}

/** The rest of a delivery's story once its body is authenticated and parsed. */
class Parsed {
  #invalidContext: InvalidContext | undefined;

  constructor(
    readonly delivery: IncomingDelivery,
    readonly value: unknown,
    readonly deliveryInfo: DeliveryInfo,
  ) {}

  /** What `onInvalid` handlers get, built when one of them is told something: most deliveries are valid. */
  get invalidContext(): InvalidContext {
    return (this.#invalidContext ??= new DeliveryContext(this.deliveryInfo, this.delivery));
  }
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
  // the header record format detection reads, one per media type checkHeaders lets through: none built per request
  const detectionHeaders = new Map(contentTypes.map((type) => [type, { 'content-type': type }]));
  const maxBodyBytes = positive(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 'maxBodyBytes');
  const rejectInvalid = options.invalid === 'reject';
  if (options.invalid !== undefined && options.invalid !== 'reject' && options.invalid !== 'acknowledge') {
    throw new WebhookConfigError('invalid must be "acknowledge" or "reject"');
  }
  const strict = options.strict === true;
  const tooLarge = plain(413, `Payload Too Large (limit ${maxBodyBytes} bytes)`, { connection: 'close' });
  const { receiver, state } = createEventHandlerWithState(options);
  const invalidHandlers: InvalidHandler[] = [];

  /** Tells every `onInvalid` handler; false when one threw (the delivery then gets 500). */
  function reportInvalid(invalid: InvalidPayload, context: InvalidContext): MaybePromise<boolean> {
    if (invalidHandlers.length === 0) return true;
    return (async () => {
      try {
        for (const handler of invalidHandlers) await handler(invalid, context);
        return true;
      } catch (error) {
        await reportError(state, error, { headers: context.headers });
        return false;
      }
    })();
  }

  /** A body that is not a valid notification, from an authenticated sender: acknowledged (default) or refused, and reported. */
  function refuseOrAcknowledge(invalid: InvalidPayload, context: InvalidContext): MaybePromise<Outcome> {
    return andThen(reportInvalid(invalid, context), (reported) => (!reported ? plain(500, 'Internal Server Error') : rejectInvalid ? REJECTED : ACKNOWLEDGED));
  }

  /** A `{"events": [...]}` body from a distribution sender, dispatched in envelope order: a blob push before the manifest push that needs it. */
  function dispatchEnvelope(parsed: Parsed): MaybePromise<Outcome> {
    const { delivery, value, deliveryInfo } = parsed;
    const events = (value as { events?: unknown } | null)?.events;
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Array.isArray(events)) {
      return refuseOrAcknowledge({ issues: [{ path: 'events', message: 'must be an array (the body is not {"events": [...]})' }], value }, parsed.invalidContext);
    }
    deliveryInfo.eventCount = events.length;
    const classified = classify(events, strict);
    if (rejectInvalid && classified.some((item) => item.kind === 'invalid')) {
      const invalid = classified.flatMap((item) => (item.kind === 'invalid' ? [item.invalid] : []));
      return andThen(
        inOrder(invalid.length, (index) => reportInvalid(invalid[index] as InvalidPayload, parsed.invalidContext)),
        () => REJECTED,
      );
    }
    const envelope = value as { events: readonly unknown[] };
    const results = inOrder(classified.length, (index): MaybePromise<ReceiveResult> => {
      const item = classified[index] as Classified;
      if (item.kind === 'invalid') return andThen(reportInvalid(item.invalid, parsed.invalidContext), (reported) => (reported ? 'handled' : 'failed'));
      return receiveNow(state, item.event, eventContext(envelope, item.index, deliveryInfo, delivery));
    });
    return andThen(results, answerFor);
  }

  /** Any other format: normalized by `@regevents/formats`, dispatched to normalized kinds. */
  async function dispatchNormalized(parsed: Parsed, format: FormatId): Promise<Outcome> {
    const { delivery, value, deliveryInfo } = parsed;
    let events: NormalizedRegistryEvent[];
    try {
      events = await normalize(value, delivery.headers(), { formats: [format] });
    } catch (error) {
      if (error instanceof RegEventsFormatError) return refuseOrAcknowledge({ issues: error.issues, value, format }, parsed.invalidContext);
      throw error;
    }
    deliveryInfo.eventCount = events.length;
    const results = inOrder(events.length, (index) => {
      return receiveNow(state, events[index] as NormalizedRegistryEvent, normalizedContext(format, index, deliveryInfo, delivery));
    });
    return answerFor(await results);
  }

  /** The content type, when the delivery's headers allow reading its body; otherwise the answer. */
  function checkHeaders(delivery: IncomingDelivery): string | Outcome {
    const contentType = mediaTypeOf(delivery.headerValues('content-type')[0]);
    if (!contentTypes.includes(contentType)) return plain(415, 'Unsupported Media Type', { accept: contentTypes.join(', ') });
    const declaredLength = Number(delivery.headerValues('content-length')[0] ?? 0);
    if (declaredLength > maxBodyBytes) return tooLarge;
    return contentType;
  }

  function unreadableBody(error: unknown): MaybePromise<Outcome> {
    if (error instanceof BodyTooLargeError) return tooLarge;
    if (error instanceof RawBodyUnavailableError) return andThen(reportError(state, error, {}), () => plain(500, error.message));
    return plain(400, 'Bad Request: the request body could not be read');
  }

  /** Parses an authenticated body; a body that is not JSON is an invalid payload. */
  function parse(delivery: IncomingDelivery, body: Uint8Array, contentType: string): Parsed | MaybePromise<Outcome> {
    const deliveryInfo: DeliveryInfo = { receivedAt: new Date(), contentType, remoteAddress: delivery.remoteAddress, eventCount: 0 };
    let value: unknown;
    try {
      value = JSON.parse(utf8.decode(body));
    } catch (error) {
      const reason = error instanceof SyntaxError ? error.message : 'is not valid UTF-8';
      return refuseOrAcknowledge({ issues: [{ path: '(body)', message: `is not valid JSON (${reason})` }], value: undefined }, new DeliveryContext(deliveryInfo, delivery));
    }
    return new Parsed(delivery, value, deliveryInfo);
  }

  const isParsed = (value: Parsed | MaybePromise<Outcome>): value is Parsed => value instanceof Parsed;

  /** Reads the body of a delivery whose headers passed, and hands what `accept` makes of it to `reply`. */
  function readAndAnswer(delivery: IncomingDelivery, accept: (body: Uint8Array) => MaybePromise<Outcome>, reply: Reply): void {
    delivery.readBody(
      maxBodyBytes,
      (body) => settle(accept, body, reply),
      (error) => settle(unreadableBody, error, reply),
    );
  }

  /** Without `formats`: one authenticator, and nothing but the body read waits, unless a strategy checks the body or a handler returns a promise. */
  function handleDistribution(delivery: IncomingDelivery, authenticator: Authenticator, reply: Reply): void {
    // header checks before the body is read: a stranger's body is never buffered
    if (!authenticator.beforeBody(delivery)) return reply(UNAUTHORIZED);
    const contentType = checkHeaders(delivery);
    if (typeof contentType !== 'string') return reply(contentType);
    const afterBody = authenticator.afterBody;
    const accept = (body: Uint8Array): MaybePromise<Outcome> => {
      const parsed = parse(delivery, body, contentType);
      return isParsed(parsed) ? dispatchEnvelope(parsed) : parsed;
    };
    readAndAnswer(delivery, afterBody ? (body) => afterBody(delivery, body).then((passed) => (passed ? accept(body) : UNAUTHORIZED)) : accept, reply);
  }

  /**
   * With `formats`: every sender's checks, then the body's format picks whose credentials count.
   * As synchronous as the distribution-only path while no check needs a promise (a token, a
   * static header; a signature only for the sender whose header the delivery carries).
   */
  function handleFromSenders(delivery: IncomingDelivery, accepted: Senders, reply: Reply): void {
    const headerChecks = accepted.beforeBody(delivery);
    if (!isPromiseLike(headerChecks)) return readFromSenders(delivery, accepted, headerChecks, reply);
    void Promise.resolve(headerChecks)
      .then((checks) => readFromSenders(delivery, accepted, checks, reply))
      .catch((error: unknown) => settle(failedUnexpectedly, error, reply));
  }

  function readFromSenders(delivery: IncomingDelivery, accepted: Senders, headerChecks: readonly boolean[], reply: Reply): void {
    if (!headerChecks.includes(true)) return reply(UNAUTHORIZED);
    const contentType = checkHeaders(delivery);
    if (typeof contentType !== 'string') return reply(contentType);
    readAndAnswer(delivery, (body) => andThen(accepted.afterBody(delivery, body, headerChecks), (authenticated) => routeFromSenders(delivery, body, contentType, accepted, authenticated)), reply);
  }

  /** A body is accepted only from its own registry's sender. */
  function routeFromSenders(delivery: IncomingDelivery, body: Uint8Array, contentType: string, accepted: Senders, authenticated: ReadonlySet<RegistryKind>): MaybePromise<Outcome> {
    if (authenticated.size === 0) return UNAUTHORIZED;
    const parsed = parse(delivery, body, contentType);
    if (!isParsed(parsed)) return parsed;
    // checkHeaders already read the media type: detection needs nothing else from the headers
    const format = detectFormat(parsed.value, detectionHeaders.get(contentType));
    if (!format) return refuseOrAcknowledge({ issues: [{ path: '(body)', message: 'matches no known registry format' }], value: parsed.value }, parsed.invalidContext);
    const route = accepted.route(format, authenticated);
    if (route === 'unauthenticated') return UNAUTHORIZED;
    if (route === 'not-accepted') return refuseOrAcknowledge({ issues: [{ path: '(body)', message: `is ${format}, which is not among the accepted formats` }], value: parsed.value, format }, parsed.invalidContext);
    return route.sender === 'distribution' ? dispatchEnvelope(parsed) : dispatchNormalized(parsed, route.format);
  }

  async function failedUnexpectedly(error: unknown): Promise<Outcome> {
    await reportError(state, error, {});
    return plain(500, 'Internal Server Error');
  }

  /** Hands what `answer(input)` gives to `reply`, now or once it settles; anything unexpected is a 500 and `onError`, never a throw. */
  function settle<T>(answer: (input: T) => MaybePromise<Outcome>, input: T, reply: Reply): void {
    let outcome: MaybePromise<Outcome>;
    try {
      outcome = answer(input);
    } catch (error) {
      outcome = failedUnexpectedly(error);
    }
    if (isPromiseLike(outcome)) void Promise.resolve(outcome).catch(failedUnexpectedly).then(reply);
    else reply(outcome);
  }

  /** Answers a delivery through `reply`, exactly once. */
  function respond(delivery: IncomingDelivery, reply: Reply): void {
    if (delivery.method !== 'POST') return reply(METHOD_NOT_ALLOWED);
    // a throw comes before any reply: the reply is the last thing every path does
    try {
      if (senders) handleFromSenders(delivery, senders, reply);
      else handleDistribution(delivery, auth as Authenticator, reply);
    } catch (error) {
      settle(failedUnexpectedly, error, reply);
    }
  }

  const summary = () =>
    `WebhookHandler { auth: ${senders ? senders.describe() : auth?.describe()}, ${senders ? `formats: ${senders.formats.join(', ')}, ` : ''}dedupe: ${state.store ? 'on' : 'off'}, maxBodyBytes: ${maxBodyBytes} }`;
  const handler: WebhookHandler = {
    fetch: (request, connection) => new Promise<Outcome>((resolve) => respond(fromFetchRequest(request, connection), resolve)).then(toResponse),
    // the answer is written from the body's last event: no promise but the one returned
    node: (req, res) =>
      new Promise<void>((resolve, reject) => {
        respond(fromNodeRequest(req), (answer) => {
          try {
            writeNodeResponse(res, answer);
            resolve();
          } catch (error) {
            reject(error);
          }
        });
      }),
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
