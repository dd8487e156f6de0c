import type { Event, SourceRecord } from '@regevents/types';
import type { HttpHandler } from 'msw';
import { ClientAllowlist, type AuthOptions } from './access.js';
import { RegistryApi } from './api.js';
import { AuthGate } from './auth-gate.js';
import { createRegistryClient } from '@regevents/registry-client';
import { systemClock, type Clock } from './clock.js';
import { parseRegistryConfig, type ConfigDiagnostic, type NotificationsConfig, type RegistryVersion } from '@regevents/config';
import { notifierEndpoints } from './endpoints.js';
import { behaviourOf, type Flavor } from './flavors.js';
import { Forwarding } from './forwarding.js';
import { Faults, type DeliveryFault, type RegistryFault } from './faults.js';
import { portableSha256, type HashFactory } from './digest.js';
import { goMarshalIndent } from './go-json.js';
import { sequentialIds, uuidV4, uuidV7Generator, type IdGenerator } from './ids.js';
import type { BuiltImage, ImageOptions } from './images.js';
import { Notifier, type RecordedEvent, type RegistryObserver, type WaitOptions } from './notifier.js';
import { imageScenarios, type PulledImage } from './scenarios.js';
import { MemoryStorage, type StorageDriver } from './storage.js';
import { RegistryState } from './handlers/state.js';
import { ByteCappedStorage } from './storage-cap.js';
import { DEFAULT_UPLOAD_EXPIRY_MS } from './upload-sessions.js';
import { RegistryError } from './errors.js';
import { mswHandlers } from './msw.js';

export interface MockRegistryOptions {
  /** Origin the MSW handlers answer on (default `http://registry.test`). */
  baseUrl?: string;
  /** Where events go, as `@regevents/config` describes endpoints. */
  notifications?: NotificationsConfig;
  /** A registry config.yml (its `notifications:` block is used); diagnostics of severity error throw. */
  config?: string;
  /** `REGISTRY_*` environment overrides applied to `config`. */
  env?: Record<string, string | undefined>;
  /** Which release to imitate (default `distribution-2.8`). */
  flavor?: Flavor;
  /** None (default), Basic or the Bearer token flow, with per-repository rules. */
  auth?: AuthOptions;
  /** Client addresses allowed (CIDRs); others get 403 DENIED. Default: everyone. */
  allowedClients?: string[];
  /**
   * Peers (CIDRs) whose `X-Forwarded-For`/`X-Real-Ip` name the client for `allowedClients`, and whose
   * `X-Forwarded-Proto`/`-Host` change `Location` headers and event URLs. Default: none, since any
   * client can send those headers.
   */
  trustedProxies?: string[];
  /** Time for timestamps, backoff and latency; `createInstantClock()` makes retries instant. */
  clock?: Clock;
  /** Event, request, upload and token ids: a generator, or `'deterministic'` for snapshot tests. */
  ids?: IdGenerator | 'deterministic';
  /**
   * The registry's content: blobs, and the repositories written over it (default a new `MemoryStorage`;
   * `FileSystemStorage` from `@regevents/mock-registry/node` keeps blobs on disk). A registry created
   * over the storage of one that was closed is that registry restarted: content kept, queues lost.
   */
  storage?: StorageDriver;
  /**
   * A byte cap on what storage holds (blobs, manifests and uploads in progress). A write that would
   * pass it is refused with 403 DENIED "storage limit of N bytes reached" and its upload ends.
   * Default: no cap.
   */
  maxStorageBytes?: number;
  /**
   * An upload session idle this long (by `clock`) is purged with its bytes; its location then
   * answers 404 BLOB_UPLOAD_UNKNOWN. Default one hour (distribution's purge job uses 168 h).
   */
  uploadExpiryMs?: number;
  /** `storage.delete.enabled` (default true); when false, DELETE answers 405 UNSUPPORTED. */
  deleteEnabled?: boolean;
  /** Fixed base for URLs in events and `Location`, like the registry's `http.host`. */
  httpHost?: string;
  /** Peer address recorded for requests that arrive through MSW (default `127.0.0.1:0`). */
  clientAddress?: string;
  /** `source.addr` of events (default: the base URL's host and port). */
  sourceAddr?: string;
  /** Fetch used for deliveries (default: the global fetch at delivery time, so MSW can intercept it). */
  fetch?: typeof fetch;
  /** SHA-256 used to verify uploads (default: portable pure JS; the `/node` entry uses node:crypto). */
  sha256?: HashFactory;
  /** User-Agent of the scenario helpers' requests. */
  userAgent?: string;
  /** Told about every event and every delivery attempt (the CLI's log uses it). */
  observer?: RegistryObserver;
  /**
   * `/debug/vars` answers only clients the API would answer (allowedClients, then authentication, as
   * for `GET /v2/`). Endpoint header values (tokens) are shown as `<redacted>` unless `showHeaders`.
   */
  debugVars?: { showHeaders?: boolean };
}

/** What `/debug/vars` serves (the registry part). */
export interface DebugVars {
  registry: { notifications: ReturnType<Notifier['debugVars']> };
}

export interface MockRegistry {
  /** MSW 2 request handlers for `setupServer(...)` / `setupWorker(...)` (needs msw installed; built on first read). */
  readonly handlers: HttpHandler[];
  /** The registry's origin; follows the served address after `serve()`. */
  readonly baseUrl: string;
  /** Every event emitted, with its envelope body and delivery attempts. */
  readonly events: readonly RecordedEvent[];
  /** Handles one registry request (what the MSW handlers and `serve()` call). */
  handle(request: Request, peerAddress?: string): Promise<Response>;
  /** Resolves with the first `count` events, or the events matching `predicate` once `count` (default 1) match. */
  waitForEvents(match: number | ((event: Event) => boolean), options?: WaitOptions): Promise<Event[]>;
  /** Resolves when every endpoint queue is empty. */
  idle(): Promise<void>;
  /** Forgets repositories, blobs, events, queued deliveries, tokens and faults. */
  reset(): Promise<void>;
  /** `/debug/vars` as the registry serves it on its debug address (header values as `options.debugVars` says). */
  debugVars(): DebugVars;
  pushImage(reference: string, image?: BuiltImage | ImageOptions): Promise<BuiltImage>;
  pullImage(reference: string): Promise<PulledImage>;
  copyImage(source: string, destination: string): Promise<void>;
  deleteImage(reference: string): Promise<string>;
  /** Makes matching registry requests slow or fail (5xx, 429 with Retry-After). */
  failRequests(fault: RegistryFault): void;
  /** Makes delivery attempts fail as if the endpoint answered a status or was unreachable. */
  failDeliveries(fault?: DeliveryFault): void;
  clearFaults(): void;
  /**
   * Stops delivery (queued events are dropped, as the registry drops them on shutdown). Read
   * `debugVars()` first to know how many were queued; the content stays in `storage`.
   */
  close(): void;
  /** Used by `serve()`: points URLs and `source.addr` at the served address. */
  setServedAddress(baseUrl: string, sourceAddr: string): void;
}

/** Thrown when `config` has errors; `diagnostics` lists them with line and column. */
export class MockRegistryConfigError extends Error {
  readonly diagnostics: ConfigDiagnostic[];

  constructor(diagnostics: ConfigDiagnostic[]) {
    super(`registry config has errors:\n${diagnostics.map((d) => `  ${d.line}:${d.column} ${d.code}: ${d.message}`).join('\n')}`);
    this.name = 'MockRegistryConfigError';
    this.diagnostics = diagnostics;
  }
}

function resolveNotifications(options: MockRegistryOptions, version: RegistryVersion): NotificationsConfig {
  if (options.config !== undefined && options.notifications !== undefined) throw new TypeError('createMockRegistry: pass `config` or `notifications`, not both');
  if (options.config === undefined) return options.notifications ?? { events: { includeReferences: false }, endpoints: [] };
  const parsed = parseRegistryConfig(options.config, { env: options.env, version });
  const { errors } = parsed;
  if (errors.length > 0) throw new MockRegistryConfigError(errors);
  return parsed.notifications;
}

function defaultSourceAddr(baseUrl: URL): string {
  return `${baseUrl.hostname}:${baseUrl.port || (baseUrl.protocol === 'https:' ? '443' : '80')}`;
}


/** An in-memory registry that answers the registry API and emits the events CNCF distribution would. */
export function createMockRegistry(options: MockRegistryOptions = {}): MockRegistry {
  const flavor = options.flavor ?? 'distribution-2.8';
  const behaviour = behaviourOf(flavor);
  const idVersion = behaviour.events === 1 ? 4 : 7;
  const clock = options.clock ?? systemClock;
  const newId: IdGenerator =
    options.ids === 'deterministic' ? sequentialIds(idVersion) : (options.ids ?? (idVersion === 7 ? uuidV7Generator(clock.now) : uuidV4));
  let baseUrl = new URL(options.baseUrl ?? 'http://registry.test').origin;
  let sourceAddr = options.sourceAddr ?? defaultSourceAddr(new URL(baseUrl));
  const instanceID = newId();
  const source = (): SourceRecord => ({ addr: sourceAddr, instanceID });
  const faults = new Faults();
  const notifications = resolveNotifications(options, behaviour.config);
  const notifier = new Notifier({
    layout: behaviour.events,
    clock,
    newId,
    source,
    endpoints: notifierEndpoints(notifications, behaviour.config),
    fetch: () => options.fetch ?? globalThis.fetch,
    fault: (endpoint) => faults.deliveryOutcome(endpoint),
    observer: options.observer,
  });
  const storage = options.storage ?? new MemoryStorage();
  const gate = new AuthGate(options.auth ?? { type: 'none' }, newId, clock.now);
  const api = new RegistryApi({
    behaviour,
    storage: options.maxStorageBytes === undefined ? storage : new ByteCappedStorage(storage, options.maxStorageBytes),
    state: storage.repositories ?? new RegistryState(),
    deleteEnabled: options.deleteEnabled ?? true,
    includeReferences: notifications.events.includeReferences,
    httpHost: options.httpHost,
    newId,
    now: clock.now,
    uploadExpiryMs: options.uploadExpiryMs ?? DEFAULT_UPLOAD_EXPIRY_MS,
    sha256: options.sha256 ?? portableSha256,
    gate,
    allowlist: new ClientAllowlist(options.allowedClients ?? []),
    forwarding: new Forwarding(options.trustedProxies ?? []),
    emit: (action, target, context) => notifier.emit(action, target, context),
  });
  const clientAddress = options.clientAddress ?? '127.0.0.1:0';
  const debugVars = (): DebugVars => ({ registry: { notifications: notifier.debugVars(options.debugVars?.showHeaders ?? false) } });

  const debugVarsResponse = async (request: Request, peer: string): Promise<Response> => {
    try {
      await api.admit(request, peer, []);
    } catch (error) {
      if (error instanceof RegistryError) return error.toResponse();
      throw error;
    }
    return new Response(goMarshalIndent(debugVars()), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
  };

  const handle = async (request: Request, peer = clientAddress): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path === '/token' && gate.usesTokens) return gate.issueToken(request);
    if (path === '/debug/vars') return debugVarsResponse(request, peer);
    return (await faults.apply(request, clock)) ?? api.handle(request, peer);
  };

  // The helpers call the registry's own handler (same events as over the network), at the current base URL.
  const scenarios = () =>
    imageScenarios(createRegistryClient({ baseUrl, fetch: (input, init) => handle(new Request(input, init)), userAgent: options.userAgent ?? 'regevents-mock-registry' }));
  const origin = baseUrl;
  let handlers: HttpHandler[] | undefined;

  const registry: MockRegistry = {
    get handlers() {
      handlers ??= mswHandlers(origin, (request) => handle(request));
      return handlers;
    },
    get baseUrl() {
      return baseUrl;
    },
    get events() {
      return notifier.events;
    },
    handle,
    waitForEvents: (match, waitOptions) => notifier.waitFor(match, waitOptions),
    idle: () => notifier.idle(),
    async reset() {
      notifier.reset();
      faults.clear();
      gate.clearTokens();
      await api.reset();
    },
    debugVars,
    pushImage: (reference, image) => scenarios().pushImage(reference, image),
    pullImage: (reference) => scenarios().pullImage(reference),
    copyImage: (from, to) => scenarios().copyImage(from, to),
    deleteImage: (reference) => scenarios().deleteImage(reference),
    failRequests: (fault) => faults.addRegistryFault(fault),
    failDeliveries: (fault = {}) => faults.addDeliveryFault(fault),
    clearFaults: () => faults.clear(),
    close: () => notifier.stop(),
    setServedAddress(url, addr) {
      baseUrl = new URL(url).origin;
      sourceAddr = addr;
    },
  };

  return registry;
}
