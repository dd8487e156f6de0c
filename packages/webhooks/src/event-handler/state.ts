import { createMemoryDedupeStore, type DedupeStore } from '../dedupe.js';
import { WebhookConfigError } from '../errors.js';
import type { AnyEventHandler, DispatchKey, ErrorHandler, EventHandlerOptions, UnknownEventHandler } from './types.js';

export type KeyedHandler = (event: never, context: never) => unknown;

/** The registered handlers and the dedupe settings one event receiver works with. */
export interface EventHandlerState {
  keyed: { keys: ReadonlySet<DispatchKey>; handler: KeyedHandler }[];
  anyHandlers: AnyEventHandler[];
  unknownHandlers: UnknownEventHandler[];
  errorHandlers: ErrorHandler[];
  /** Whether some keyed handler takes a normalized kind: only then does a distribution event's plan depend on its normalized kind. */
  wantsNormalized: boolean;
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
    store: dedupe ? (dedupe.store ?? createMemoryDedupeStore()) : undefined,
    leaseMs: positive(dedupe?.leaseMs, 60_000, 'dedupe.leaseMs'),
    ttlMs: positive(dedupe?.ttlMs, 24 * 60 * 60 * 1000, 'dedupe.ttlMs'),
  };
}
