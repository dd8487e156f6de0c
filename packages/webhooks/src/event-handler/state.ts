import type { NormalizedKind } from '@regevents/formats';
import { createMemoryDedupeStore, type DedupeStore } from '../dedupe.js';
import type { EventKey } from '../dispatch.js';
import { WebhookConfigError } from '../errors.js';
import type { AnyEventHandler, DispatchKey, ErrorHandler, EventHandlerOptions, UnknownEventHandler } from './types.js';

export type KeyedHandler = (event: never, context: never) => unknown;

/** A handler, and whether it takes the event's normalized view (registered for a normalized kind only) or the event as received. */
export interface Planned {
  handler: KeyedHandler;
  normalized: boolean;
}

/** The handlers an event goes to, in order, and whether any of them takes the normalized view (only then is it built). */
export interface Plan {
  handlers: readonly Planned[];
  takesNormalized: boolean;
}

/**
 * Who receives an event, worked out once per dispatch key rather than per event (plans.ts): the
 * walk over every registration and its key sets happens when a key is first seen after a registration.
 */
export interface Plans {
  /** By fine key, then by the normalized view's kind ('' when no handler takes normalized kinds). */
  distribution: Map<EventKey, Map<NormalizedKind | '', Plan>>;
  normalized: Map<NormalizedKind, Plan>;
  unknown: Plan | undefined;
}

/** The registered handlers and the dedupe settings one event receiver works with. */
export interface EventHandlerState {
  keyed: { keys: ReadonlySet<DispatchKey>; handler: KeyedHandler }[];
  anyHandlers: AnyEventHandler[];
  unknownHandlers: UnknownEventHandler[];
  errorHandlers: ErrorHandler[];
  /** Whether some keyed handler takes a normalized kind: only then does a distribution event's plan depend on its normalized kind. */
  wantsNormalized: boolean;
  /** Emptied by every registration. */
  plans: Plans;
  store: DedupeStore | undefined;
  leaseMs: number;
  ttlMs: number;
}

export function positive(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) throw new WebhookConfigError(`${option} must be a positive number`);
  return value;
}

export function createState(options: EventHandlerOptions): EventHandlerState {
  const dedupe = options.dedupe === false ? undefined : (options.dedupe ?? {});
  return {
    keyed: [],
    anyHandlers: [],
    unknownHandlers: [],
    errorHandlers: [],
    wantsNormalized: false,
    plans: { distribution: new Map(), normalized: new Map(), unknown: undefined },
    store: dedupe ? (dedupe.store ?? createMemoryDedupeStore()) : undefined,
    leaseMs: positive(dedupe?.leaseMs, 60_000, 'dedupe.leaseMs'),
    ttlMs: positive(dedupe?.ttlMs, 24 * 60 * 60 * 1000, 'dedupe.ttlMs'),
  };
}
