import type { EventAction } from '@regevents/types';
import type { Decoded, DecodedOf } from './decode.js';
import type { DiagnosticList, Origin } from './diagnostics.js';
import { suggestion } from './did-you-mean.js';
import { formatGoDuration, MILLISECOND, SECOND } from './go-duration.js';
import type { EndpointConfig, NotificationsConfig, RegistryVersion } from './types.js';
import { actionsFilterNeedsMediaTypes } from './versions.js';

const ACTIONS: readonly EventAction[] = ['push', 'pull', 'delete', 'mount'];
const BLOB_MEDIA_TYPE = 'application/octet-stream';
/** The registry's defaults for zero or negative values (notifications/endpoint.go). */
export const ENDPOINT_DEFAULTS = { timeout: SECOND, threshold: 10, backoff: SECOND } as const;

export interface BuildContext {
  version: RegistryVersion;
  diagnostics: DiagnosticList;
  /** `http.debug.addr` when set (file or environment). */
  debugAddr?: DecodedOf<'string'>;
}

type Struct = DecodedOf<'struct'> | undefined;

const field = <K extends Decoded['kind']>(struct: Struct, key: string, kind: K): DecodedOf<K> | undefined => {
  const value = struct?.fields.get(key);
  return value?.kind === kind ? (value as DecodedOf<K>) : undefined;
};

const strings = (list: DecodedOf<'list'> | undefined): DecodedOf<'string'>[] =>
  (list?.items ?? []).filter((item): item is DecodedOf<'string'> => item.kind === 'string');

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]';
}

function durationMs(struct: Struct, key: 'timeout' | 'backoff', fallback: bigint, context: BuildContext): number {
  const value = field(struct, key, 'duration');
  if (!value) return Number(fallback) / 1e6;
  const ns = value.nanoseconds;
  if (value.writtenAsNumber && ns > 0n && ns < MILLISECOND) {
    context.diagnostics.add(
      'duration-without-unit',
      `${key}: ${ns} is ${ns}ns, because the registry reads a bare number as nanoseconds; did you mean ${ns}ms?`,
      value.origin,
    );
  }
  if (ns <= 0n) {
    context.diagnostics.add('default-applied', `${key} ${formatGoDuration(ns)} is not positive, so the registry uses ${formatGoDuration(fallback)}`, value.origin);
    return Number(fallback) / 1e6;
  }
  return Number(ns) / 1e6;
}

function threshold(struct: Struct, context: BuildContext): number {
  const value = field(struct, 'threshold', 'int');
  if (!value) return ENDPOINT_DEFAULTS.threshold;
  if (value.value > 0) return value.value;
  context.diagnostics.add('default-applied', `threshold ${value.value} is not positive, so the registry uses ${ENDPOINT_DEFAULTS.threshold}`, value.origin);
  return ENDPOINT_DEFAULTS.threshold;
}

function checkUrl(url: DecodedOf<'string'> | undefined, at: Origin, headers: Record<string, string[]>, context: BuildContext): void {
  if (!url || url.value === '') {
    context.diagnostics.add('missing-url', 'the endpoint has no url: the registry would retry every event against it forever', url?.origin ?? at);
    return;
  }
  let parsed: URL;
  try {
    parsed = new URL(url.value);
  } catch {
    context.diagnostics.add('invalid-url', `"${url.value}" is not an absolute URL: every delivery would fail and be retried forever`, url.origin);
    return;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    context.diagnostics.add('invalid-url', `"${url.value}" is not http or https: every delivery would fail and be retried forever`, url.origin);
    return;
  }
  const sendsAuthorization = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
  if (sendsAuthorization && parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    context.diagnostics.add('authorization-over-http', `an Authorization header goes in clear text to ${parsed.host}; use https`, url.origin);
  }
}

/**
 * The registry appends configured headers to its own request by exact name (notifications/http.go),
 * so names that differ only in case, as environment overrides produce, are all sent, and so is a
 * configured Content-Type next to the registry's own.
 */
function checkHeaderName(header: string, seen: Map<string, string>, at: Origin, context: BuildContext): void {
  const folded = header.toLowerCase();
  const earlier = seen.get(folded);
  if (earlier !== undefined) {
    context.diagnostics.add('duplicate-header', `headers "${earlier}" and "${header}" are the same header: the registry sends both`, at);
  } else if (folded === 'content-type') {
    context.diagnostics.add('duplicate-header', 'the registry sets Content-Type itself: this one is sent as a second Content-Type header', at);
  }
  seen.set(folded, header);
}

function ignoredActions(list: DecodedOf<'list'> | undefined, context: BuildContext): EventAction[] {
  const actions: EventAction[] = [];
  for (const item of strings(list)) {
    const action = ACTIONS.find((known) => known === item.value);
    if (action) actions.push(action);
    else context.diagnostics.add('unknown-action', `"${item.value}" is not an event action (${ACTIONS.join(', ')}): it never matches${suggestion(item.value, ACTIONS)}`, item.origin);
  }
  return actions;
}

function buildEndpoint(decoded: Decoded, context: BuildContext): EndpointConfig {
  const struct = decoded.kind === 'struct' ? decoded : undefined;
  const name = field(struct, 'name', 'string');
  if (!name || name.value === '') context.diagnostics.add('missing-name', 'the endpoint has no name', name?.origin ?? decoded.origin);

  const headers: Record<string, string[]> = {};
  const seenHeaders = new Map<string, string>();
  for (const [header, values] of field(struct, 'headers', 'map')?.entries ?? []) {
    if (values.kind !== 'list') continue;
    headers[header] = strings(values).map((item) => item.value);
    checkHeaderName(header, seenHeaders, values.origin, context);
  }
  checkUrl(field(struct, 'url', 'string'), decoded.origin, headers, context);

  const ignore = field(struct, 'ignore', 'struct');
  const mediaTypeItems = [...strings(field(ignore, 'mediatypes', 'list')), ...strings(field(struct, 'ignoredmediatypes', 'list'))];
  const blobIgnore = mediaTypeItems.find((item) => item.value === BLOB_MEDIA_TYPE);
  if (blobIgnore) context.diagnostics.add('ignores-all-blobs', `ignoring ${BLOB_MEDIA_TYPE} drops every blob push, pull and mount event`, blobIgnore.origin);
  const actionList = field(ignore, 'actions', 'list');
  const actions = ignoredActions(actionList, context);
  if (actionList && actions.length > 0 && mediaTypeItems.length === 0 && actionsFilterNeedsMediaTypes(context.version)) {
    context.diagnostics.add(
      'ignore-actions-inert',
      `on registry ${context.version}.x ignore.actions has no effect unless some media type is ignored too (fixed in 3.1.0): ${actions.join(', ')} events are still sent`,
      actionList.origin,
    );
  }

  return {
    name: name?.value ?? '',
    disabled: field(struct, 'disabled', 'bool')?.value ?? false,
    url: field(struct, 'url', 'string')?.value ?? '',
    headers,
    timeoutMs: durationMs(struct, 'timeout', ENDPOINT_DEFAULTS.timeout, context),
    threshold: threshold(struct, context),
    backoffMs: durationMs(struct, 'backoff', ENDPOINT_DEFAULTS.backoff, context),
    ignore: { mediaTypes: mediaTypeItems.map((item) => item.value), actions },
  };
}

/** Applies the registry's defaults and the lint rules to the decoded `notifications:` block. */
export function buildNotifications(notifications: Struct, context: BuildContext): NotificationsConfig {
  const endpointList = field(notifications, 'endpoints', 'list');
  const endpoints = (endpointList?.items ?? []).map((item) => buildEndpoint(item, context));

  const firstByName = new Map<string, number>();
  endpoints.forEach((endpoint, index) => {
    if (endpoint.name === '') return;
    const first = firstByName.get(endpoint.name);
    if (first === undefined) {
      firstByName.set(endpoint.name, index);
    } else {
      const at = field(endpointList?.items[index] as Struct, 'name', 'string')?.origin;
      if (at) context.diagnostics.add('duplicate-name', `endpoint name "${endpoint.name}" is already used by endpoints[${first}]`, at);
    }
  });

  if (endpointList && endpoints.length > 0 && endpoints.every((endpoint) => endpoint.disabled)) {
    context.diagnostics.add('all-endpoints-disabled', 'every endpoint is disabled: the registry sends no notifications', endpointList.origin);
  }
  if (endpoints.length === 0) {
    const at = endpointList?.origin ?? notifications?.origin;
    if (at) context.diagnostics.add('no-endpoints', 'no endpoints are configured: the registry sends no notifications', at);
  }
  if (context.debugAddr && context.debugAddr.value !== '') {
    const exposing = endpoints.filter((endpoint) => !endpoint.disabled && Object.keys(endpoint.headers).length > 0);
    if (exposing.length > 0) {
      context.diagnostics.add(
        'debug-vars-expose-headers',
        `http.debug.addr is set: /debug/vars on ${context.debugAddr.value} publishes the headers (tokens included) of ${exposing.map((endpoint) => `"${endpoint.name}"`).join(', ')}`,
        context.debugAddr.origin,
      );
    }
  }

  return {
    events: { includeReferences: field(field(notifications, 'events', 'struct'), 'includereferences', 'bool')?.value ?? false },
    endpoints,
  };
}
