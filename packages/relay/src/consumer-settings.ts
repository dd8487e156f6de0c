import type { RegistryClient } from '@regevents/registry-client';
import type { Enricher, EnrichOptions } from './enrich.js';
import { RelayConfigError } from './errors.js';

export interface ConsumerOptions {
  /** Events handled at once, across repositories; events of one repository are handled one after another. Default 1. */
  concurrency?: number;
  /** Failed attempts after which an event goes to the group's dead letters. Default 5. */
  maxAttempts?: number;
  /** Milliseconds before attempt n + 1 after n failures. Default 1 s doubling up to 60 s. */
  retryDelay?: number | ((failures: number) => number);
  /** Where a group that does not exist yet starts: every event the log holds, or only those appended from now. Default `beginning`. */
  start?: 'beginning' | 'now';
  /** Name of this consumer in the group; unique per process. Default a random one. */
  name?: string;
  /** How long a consumer holds its partitions without a heartbeat; after a crash, others take over once it lapses. Default 15 s. */
  leaseMs?: number;
  /** Pause between reads when the log has nothing new. Default 100 ms. */
  pollMs?: number;
  /** How long the group remembers a handled event id. Default 7 days. */
  dedupeTtlMs?: number;
  /**
   * The coalesced view: `on('image.pushed', …)` gets one `ImagePush` per tagged manifest push, with
   * its blobs and platforms. `{ client }` reads each index pushed for its platforms (a registry client
   * with its own User-Agent: the read is a pull event). Default false.
   */
  coalesce?: boolean | { client: RegistryClient };
  /**
   * The enriched view: `on('enriched', …)` gets every event in the normalized model with what the
   * registry left out filled in and marked in `derived` (see `createEnricher`). Default off.
   */
  enrich?: EnrichOptions | Enricher;
}

function positive(value: number | undefined, fallback: number, option: string, integer = false): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value)) || (integer && !Number.isInteger(value))) {
    throw new RelayConfigError(`${option} must be a positive ${integer ? 'integer' : 'number'}`);
  }
  return value;
}

/** The options the consumer loop runs with, checked, with their defaults filled in. */
export function consumerSettings(options: ConsumerOptions) {
  const retryDelay = options.retryDelay;
  if (retryDelay !== undefined && typeof retryDelay !== 'function' && !(typeof retryDelay === 'number' && retryDelay >= 0)) {
    throw new RelayConfigError('retryDelay must be a number of milliseconds or a function of the failure count');
  }
  if (options.start !== undefined && options.start !== 'beginning' && options.start !== 'now') throw new RelayConfigError('start must be "beginning" or "now"');
  return {
    concurrency: positive(options.concurrency, 1, 'concurrency', true),
    maxAttempts: positive(options.maxAttempts, 5, 'maxAttempts', true),
    delay: (failures: number) => (typeof retryDelay === 'function' ? retryDelay(failures) : retryDelay ?? Math.min(60_000, 1000 * 2 ** (failures - 1))),
    start: options.start ?? 'beginning',
    name: options.name ?? `consumer-${crypto.randomUUID()}`,
    leaseMs: positive(options.leaseMs, 15_000, 'leaseMs'),
    pollMs: positive(options.pollMs, 100, 'pollMs'),
    dedupeTtlMs: positive(options.dedupeTtlMs, 7 * 24 * 60 * 60 * 1000, 'dedupeTtlMs'),
  };
}

export type ConsumerSettings = ReturnType<typeof consumerSettings>;
