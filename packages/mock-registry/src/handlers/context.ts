import type { EventAction, RequestRecord } from '@regevents/types';
import type { Identity } from '../access.js';
import type { AuthGate } from '../auth-gate.js';
import type { HashFactory } from '../digest.js';
import type { TargetFacts } from '../event-format.js';
import type { FlavorBehaviour } from '../flavors.js';
import { goEncode } from '../go-json.js';
import type { IdGenerator } from '../ids.js';
import type { StorageDriver } from '../storage.js';
import type { RegistryState } from './state.js';

/** The request as events record it, plus what the handlers need to answer it. */
export interface RequestContext {
  request: Request;
  url: URL;
  /** Scheme and host the client used (X-Forwarded-Proto/-Host only from a trusted proxy), for URLs in answers and events. */
  base: string;
  record: RequestRecord;
  identity: Identity;
}

/** What every route handler works with. */
export interface HandlerDependencies {
  state: RegistryState;
  storage: StorageDriver;
  behaviour: FlavorBehaviour;
  deleteEnabled: boolean;
  includeReferences: boolean;
  newId: IdGenerator;
  sha256: HashFactory;
  gate: AuthGate;
  emit(action: EventAction, target: TargetFacts, context: RequestContext): void;
}

/** A JSON answer as Go's `json.NewEncoder(w).Encode` writes it, with the flavor's JSON Content-Type. */
export function json(value: unknown, contentType: string, headers: HeadersInit = {}): Response {
  const out = new Headers(headers);
  out.set('Content-Type', contentType);
  return new Response(goEncode(value), { status: 200, headers: out });
}

/** An answer without a body; Go drops a Content-Length the handler set on a 204 or 304. */
export function empty(status: number, headers: Record<string, string>): Response {
  const withLength = status === 204 || status === 304 ? headers : { 'Content-Length': '0', ...headers };
  return new Response(null, { status, headers: withLength });
}

/** What the registry's router answers for a path no route matches. */
export function notFoundPage(): Response {
  return new Response('404 page not found\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
}

/** gorilla/handlers' MethodHandler for a method the route does not serve. */
export function methodNotAllowed(allowed: readonly string[]): Response {
  return new Response('Method Not Allowed\n', { status: 405, headers: { Allow: allowed.join(', '), 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
}

export function blobUrl(context: RequestContext, name: string, digest: string): string {
  return `${context.base}/v2/${name}/blobs/${digest}`;
}

export function manifestUrl(context: RequestContext, name: string, digest: string): string {
  return `${context.base}/v2/${name}/manifests/${digest}`;
}
