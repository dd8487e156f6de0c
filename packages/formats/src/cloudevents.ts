/**
 * CloudEvents 1.0 for registry events, and their HTTP encodings (binary, structured, batch).
 *
 * Type scheme:
 * - `io.regevents.distribution.<action>` (push, pull, delete, mount): `data` is the CNCF
 *   distribution event unchanged; `dataschema` is the published distribution event schema.
 * - `io.regevents.<kind>` (e.g. `io.regevents.artifact.pushed`): `data` is a normalized event
 *   (`occurredAt` as an RFC 3339 string); `dataschema` is the normalized event schema.
 * `source` is `//<registry host>` when the host is known, else `urn:regevents:registry:<kind>`;
 * `subject` is `repository[:tag]`; extensions `registrykind` and `repository` let Triggers filter.
 */
import { SCHEMA_IDS, validateEvent, validateNormalizedEvent, validateVendor } from '@regevents/schemas';
import type { Event as DistributionEvent, NormalizedEventData } from '@regevents/types';
import { isRecord } from './body.js';
import { InvalidCloudEventError } from './errors.js';
import { headerValue, type HeadersLike } from './headers.js';
import { NORMALIZED_KINDS, type NormalizedKind, type NormalizedRegistryEvent, type RegistryKind } from './model.js';
import { normalizeHarborCloudEvent } from './normalize.js';
import { normalizeDistributionEvent } from './normalizers/distribution.js';

export const CLOUDEVENT_TYPE_PREFIX = 'io.regevents.';
export const DISTRIBUTION_EVENT_SCHEMA = SCHEMA_IDS.event;
export const NORMALIZED_EVENT_SCHEMA = SCHEMA_IDS.normalizedEvent;

/** A CloudEvent 1.0 in its JSON (structured) form. Extension attributes sit next to the context attributes. */
export interface CloudEvent<Data = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  datacontenttype?: string;
  dataschema?: string;
  subject?: string;
  time?: string;
  data?: Data;
  [extension: string]: unknown;
}

function isDistributionEvent(event: DistributionEvent | NormalizedRegistryEvent): event is DistributionEvent {
  return 'action' in event && 'target' in event;
}

function sourceOf(kind: RegistryKind, host: string | undefined): string {
  return host ? `//${host}` : `urn:regevents:registry:${kind}`;
}

function subjectOf(repository: string, tag: string | undefined): string {
  return tag ? `${repository}:${tag}` : repository;
}

/** A distribution event (data: the event itself) or a normalized event (data: the normalized event) as a CloudEvent. */
export function toCloudEvent(event: DistributionEvent | NormalizedRegistryEvent): CloudEvent {
  if (isDistributionEvent(event)) {
    const normalized = normalizeDistributionEvent(event);
    return {
      specversion: '1.0',
      id: event.id,
      source: sourceOf('distribution', normalized.registry.host),
      type: `${CLOUDEVENT_TYPE_PREFIX}distribution.${event.action}`,
      subject: subjectOf(normalized.repository, normalized.tag),
      time: normalized.occurredAt.toISOString(),
      datacontenttype: 'application/json',
      dataschema: DISTRIBUTION_EVENT_SCHEMA,
      registrykind: 'distribution',
      repository: normalized.repository,
      data: event,
    };
  }
  const data: NormalizedEventData = { ...event, occurredAt: event.occurredAt.toISOString() };
  return {
    specversion: '1.0',
    id: event.id,
    source: sourceOf(event.registry.kind, event.registry.host),
    type: `${CLOUDEVENT_TYPE_PREFIX}${event.kind}`,
    subject: subjectOf(event.repository, event.tag),
    time: data.occurredAt,
    datacontenttype: 'application/json',
    dataschema: NORMALIZED_EVENT_SCHEMA,
    registrykind: event.registry.kind,
    repository: event.repository,
    data,
  };
}

const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;

/** Checks the CloudEvents 1.0 rules this package relies on; throws `InvalidCloudEventError`. */
export function assertCloudEvent(value: unknown): asserts value is CloudEvent {
  const issues: { path: string; message: string }[] = [];
  if (!isRecord(value)) throw new InvalidCloudEventError('a CloudEvent must be a JSON object', [{ path: '(root)', message: 'must be an object' }]);
  if (value['specversion'] !== '1.0') issues.push({ path: 'specversion', message: 'must be "1.0"' });
  for (const name of ['id', 'source', 'type'] as const) {
    if (typeof value[name] !== 'string' || value[name] === '') issues.push({ path: name, message: 'must be a non-empty string' });
  }
  for (const name of ['datacontenttype', 'dataschema', 'subject', 'time'] as const) {
    if (value[name] !== undefined && typeof value[name] !== 'string') issues.push({ path: name, message: 'must be a string' });
  }
  if (typeof value['time'] === 'string' && Number.isNaN(Date.parse(value['time']))) issues.push({ path: 'time', message: 'must be an RFC 3339 timestamp' });
  for (const name of Object.keys(value)) {
    if (name !== 'data' && name !== 'data_base64' && !EXTENSION_NAME.test(name)) issues.push({ path: name, message: 'attribute names must be 1-20 lower-case letters or digits' });
  }
  if (issues.length > 0) throw new InvalidCloudEventError(`not a CloudEvent: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`, issues);
}

function fromNormalizedData(event: CloudEvent): NormalizedRegistryEvent {
  const kind = event.type.slice(CLOUDEVENT_TYPE_PREFIX.length) as NormalizedKind;
  if (!NORMALIZED_KINDS.includes(kind)) throw new InvalidCloudEventError(`unknown CloudEvent type ${event.type}`, [{ path: 'type', message: `must name a normalized kind after ${CLOUDEVENT_TYPE_PREFIX}` }]);
  const result = validateNormalizedEvent(event.data);
  if (!result.ok) throw new InvalidCloudEventError(`data of ${event.type} is not a normalized registry event`, result.issues.map((issue) => ({ ...issue, path: `data.${issue.path}` })));
  if (result.value.kind !== kind) throw new InvalidCloudEventError(`data of ${event.type} says kind ${result.value.kind}`, [{ path: 'data.kind', message: `must be ${kind}, as the type says` }]);
  return { ...result.value, id: event.id, occurredAt: new Date(result.value.occurredAt) };
}

/**
 * Normalized events from a CloudEvent: Harbor's CloudEvents (`harbor.*`), and the ones
 * `toCloudEvent` makes (`io.regevents.*`). Anything else throws `InvalidCloudEventError`.
 */
export async function fromCloudEvent(event: unknown): Promise<NormalizedRegistryEvent[]> {
  assertCloudEvent(event);
  if (event.type.startsWith('harbor.')) {
    const result = validateVendor('harbor-cloudevents', event);
    if (!result.ok) throw new InvalidCloudEventError('not a valid Harbor CloudEvent', result.issues);
    return normalizeHarborCloudEvent(result.value);
  }
  if (event.type.startsWith(`${CLOUDEVENT_TYPE_PREFIX}distribution.`)) {
    if (!isRecord(event.data)) throw new InvalidCloudEventError('data must be a distribution event', [{ path: 'data', message: 'must be an object' }]);
    const result = validateEvent(event.data);
    if (!result.ok) throw new InvalidCloudEventError('data is not a valid distribution event', result.issues);
    return [normalizeDistributionEvent(result.value)];
  }
  if (event.type.startsWith(CLOUDEVENT_TYPE_PREFIX)) return [fromNormalizedData(event)];
  throw new InvalidCloudEventError(`unknown CloudEvent type ${event.type}`, [{ path: 'type', message: 'must be a harbor.* or io.regevents.* type' }]);
}

/** An HTTP message: what to send, or what was received. */
export interface HttpMessage {
  headers: Record<string, string>;
  body: string;
}

const STRUCTURED = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch+json';

function dataText(event: CloudEvent): string {
  if (event.data === undefined) return '';
  return typeof event.data === 'string' && !(event.datacontenttype ?? '').includes('json') ? event.data : JSON.stringify(event.data);
}

/** The HTTP binding's header encoding: printable ASCII stays, space, `"`, `%` and everything else is percent-encoded (UTF-8). */
function percentEncodeHeader(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    out += code > 0x20 && code < 0x7f && char !== '"' && char !== '%' ? char : encodeURIComponent(char);
  }
  return out;
}

/** Binary mode: attributes as `ce-*` headers, data as the body. */
export function toHttpBinary(event: CloudEvent): HttpMessage {
  assertCloudEvent(event);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event)) {
    if (name === 'data' || value === undefined) continue;
    if (name === 'datacontenttype') headers['content-type'] = String(value);
    else headers[`ce-${name}`] = percentEncodeHeader(String(value));
  }
  return { headers, body: dataText(event) };
}

/** Structured mode: the whole event as `application/cloudevents+json`. */
export function toHttpStructured(event: CloudEvent): HttpMessage {
  assertCloudEvent(event);
  return { headers: { 'content-type': `${STRUCTURED}; charset=utf-8` }, body: JSON.stringify(event) };
}

/** Batch mode: a JSON array of events as `application/cloudevents-batch+json`. */
export function toHttpBatch(events: readonly CloudEvent[]): HttpMessage {
  for (const event of events) assertCloudEvent(event);
  return { headers: { 'content-type': `${BATCH}; charset=utf-8` }, body: JSON.stringify(events) };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidCloudEventError(`${what} is not valid JSON`, [{ path: '(body)', message: 'is not valid JSON' }]);
  }
}

/** Reads any of the three modes back into CloudEvents; throws `InvalidCloudEventError` when the message is none of them. */
export function fromHttp(message: { headers: HeadersLike; body: string }): CloudEvent[] {
  const contentType = (headerValue(message.headers, 'content-type') ?? '').toLowerCase();
  if (contentType.startsWith(BATCH)) {
    const events = parseJson(message.body, 'batch body');
    if (!Array.isArray(events)) throw new InvalidCloudEventError('a batch must be a JSON array', [{ path: '(body)', message: 'must be an array' }]);
    events.forEach((event) => assertCloudEvent(event));
    return events as CloudEvent[];
  }
  if (contentType.startsWith(STRUCTURED)) {
    const event = parseJson(message.body, 'structured body');
    assertCloudEvent(event);
    return [event];
  }
  const specversion = headerValue(message.headers, 'ce-specversion');
  if (specversion === undefined) throw new InvalidCloudEventError('not a CloudEvents HTTP message: no ce-specversion header and no CloudEvents content type', [{ path: '(headers)', message: 'has no ce-specversion' }]);
  const event: Record<string, unknown> = {};
  const entries = typeof Headers !== 'undefined' && message.headers instanceof Headers ? [...message.headers.entries()] : Object.entries(message.headers as Record<string, string>);
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (lower.startsWith('ce-') && typeof value === 'string') event[lower.slice(3)] = decodeURIComponent(value);
  }
  if (contentType) event['datacontenttype'] = headerValue(message.headers, 'content-type');
  if (message.body !== '') event['data'] = contentType.includes('json') ? parseJson(message.body, 'binary body') : message.body;
  assertCloudEvent(event);
  return [event];
}
