import type { RequestRecord } from '@regevents/types';
import type { ClientAllowlist, Identity, Scope } from './access.js';
import { RegistryError } from './errors.js';
import { recordedAddr, type Forwarding } from './forwarding.js';
import { blobs } from './handlers/blobs.js';
import { catalog, tags } from './handlers/catalog-tags.js';
import { empty, methodNotAllowed, notFoundPage, type HandlerDependencies, type RequestContext } from './handlers/context.js';
import { manifests } from './handlers/manifests.js';
import { referrers } from './handlers/referrers.js';
import { UploadHandlers, type Upload } from './handlers/uploads.js';
import { ROUTE_METHODS, routePath, type Route } from './routes.js';
import { UploadSessions } from './upload-sessions.js';

export type { RequestContext } from './handlers/context.js';

export interface ApiDependencies extends HandlerDependencies {
  /** Fixed base for URLs in events and Location headers, like the registry's `http.host`. */
  httpHost?: string;
  /** The registry's clock, for upload expiry. */
  now: () => number;
  /** Idle time after which an upload session is purged. */
  uploadExpiryMs: number;
  allowlist: ClientAllowlist;
  forwarding: Forwarding;
}

const API_VERSION = { 'Docker-Distribution-API-Version': 'registry/2.0' };

/** gorilla/mux's StrictSlash answer: `http.Redirect`, whose GET body is a link. */
function redirect(location: string, strictSlash: boolean, method: string): Response {
  if (!strictSlash) return empty(301, { Location: location });
  const headers: Record<string, string> = { Location: location };
  if (method === 'GET' || method === 'HEAD') headers['Content-Type'] = 'text/html; charset=utf-8';
  const escaped = location.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
  return method === 'GET' ? new Response(`<a href="${escaped}">Moved Permanently</a>.\n\n`, { status: 301, headers }) : empty(301, headers);
}

/** The access a request needs, as distribution's auth controller derives it from method and route. */
function scopesOf(route: Route, request: Request, url: URL): Scope[] {
  if (route.kind === 'base') return [];
  if (route.kind === 'catalog') return [{ type: 'registry', name: 'catalog', actions: ['*'] }];
  const method = request.method;
  const actions = method === 'GET' || method === 'HEAD' ? ['pull'] : method === 'DELETE' ? ['delete'] : ['pull', 'push'];
  const scopes: Scope[] = [{ type: 'repository', name: route.name, actions }];
  const from = url.searchParams.get('from');
  if (route.kind === 'uploads' && url.searchParams.has('mount') && from) scopes.push({ type: 'repository', name: from, actions: ['pull'] });
  return scopes;
}

/**
 * The registry API over web-standard Request and Response: distribution's router (routes.ts),
 * its access checks, then one handler per route kind (handlers/), with the differences between
 * the imitated registries in the flavor's behaviour object.
 */
export class RegistryApi {
  readonly #sessions: UploadSessions<Upload>;
  readonly #deps: ApiDependencies;
  readonly #uploads: UploadHandlers;

  constructor(deps: ApiDependencies) {
    this.#deps = deps;
    this.#sessions = new UploadSessions(deps.storage, deps.now, deps.uploadExpiryMs);
    this.#uploads = new UploadHandlers(this.#deps, this.#sessions);
  }

  /** Forgets every repository, upload and stored byte. */
  async reset(): Promise<void> {
    this.#deps.state.clear();
    this.#sessions.clear();
    await this.#deps.storage.clear();
  }

  async handle(request: Request, peer: string): Promise<Response> {
    const response = await this.#dispatch(request, peer).catch((error: unknown) => {
      const jsonType = this.#deps.behaviour.json;
      if (error instanceof RegistryError) return error.toResponse({}, jsonType);
      return new RegistryError('UNKNOWN', { detail: error instanceof Error ? error.message : String(error) }).toResponse({}, jsonType);
    });
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(API_VERSION)) headers.set(name, value);
    // Go's server gives a small body written in one go its Content-Length (a HEAD too, though it sends no body);
    // blobs and manifests set theirs before they stream.
    let body: BodyInit | null = response.body;
    if (body && !headers.has('content-length')) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      headers.set('Content-Length', String(bytes.byteLength));
      body = bytes;
    }
    return new Response(request.method === 'HEAD' ? null : body, { status: response.status, headers });
  }

  /** The allowlist and auth checks every API request passes (and `/debug/vars`, which needs no scope). */
  async admit(request: Request, peer: string, scopes: Scope[]): Promise<{ addr: string; base: string; identity: Identity }> {
    this.#deps.allowlist.check(this.#deps.forwarding.client(request, peer), peer);
    const addr = recordedAddr(request, peer);
    const base = this.#deps.httpHost ? this.#deps.httpHost.replace(/\/$/, '') : this.#deps.forwarding.base(request, peer);
    const identity = await this.#deps.gate.authorize(request, base, scopes);
    return { addr, base, identity };
  }

  async #dispatch(request: Request, peer: string): Promise<Response> {
    const url = new URL(request.url);
    const routing = routePath(url, this.#deps.behaviour.referrers);
    if (!routing) return notFoundPage();
    if ('redirect' in routing) return redirect(routing.redirect, routing.strictSlash, request.method);
    const { route } = routing;
    const { addr, base, identity } = await this.admit(request, peer, scopesOf(route, request, url));
    const allowed = ROUTE_METHODS[route.kind];
    if (allowed && !allowed.includes(request.method)) return methodNotAllowed(allowed);
    const record: RequestRecord = {
      id: this.#deps.newId(),
      addr,
      host: request.headers.get('host') ?? url.host,
      method: request.method,
      useragent: request.headers.get('user-agent') ?? '',
    };
    const context: RequestContext = { request, url, base, record, identity };
    const deps = this.#deps;
    switch (route.kind) {
      case 'base':
        return new Response('{}', { status: 200, headers: { 'Content-Type': this.#deps.behaviour.json } });
      case 'catalog':
        return catalog(deps, context);
      case 'tags':
        return tags(deps, context, route.name);
      case 'manifest':
        return manifests(deps, context, route.name, route.reference);
      case 'blob':
        return blobs(deps, context, route.name, route.digest);
      case 'uploads':
        return request.method === 'POST' ? this.#uploads.start(context, route.name) : Promise.reject(new RegistryError('BLOB_UPLOAD_UNKNOWN'));
      case 'upload':
        return this.#uploads.session(context, route.name, route.id);
      case 'referrers':
        return referrers(deps, context, route.name, route.digest);
    }
  }
}
