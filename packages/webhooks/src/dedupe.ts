import { LRUCache } from 'lru-cache';

/** What a store says when a delivery asks to process an event. */
export type ClaimResult =
  /** Nobody has handled it: process it, then `complete` or `release` with this token. */
  | { status: 'claimed'; token: string }
  /** Its handlers already succeeded: acknowledge without running them again. */
  | { status: 'done' }
  /** Another delivery holds an unexpired lease on it right now. */
  | { status: 'in-flight' };

/**
 * Remembers which event ids were handled. One store shared by several receivers (Redis) makes
 * them deduplicate together. Implementations must make `claim` atomic: of two concurrent claims
 * of one id, at most one gets `claimed`.
 */
export interface DedupeStore {
  /** Claims an id for `leaseMs`; after that a crashed holder's claim lapses and a redelivery may run. */
  claim(id: string, leaseMs: number): Promise<ClaimResult>;
  /** Records success: the id answers `done` for `ttlMs`. */
  complete(id: string, token: string, ttlMs: number): Promise<void>;
  /** Gives the claim up after a failure, so the next delivery runs again. Ignored if `token` no longer holds it. */
  release(id: string, token: string): Promise<void>;
}

export interface MemoryDedupeStoreOptions {
  /** Upper bound of the memory the store uses, approximately, in bytes. Default 16 MiB. */
  maxBytes?: number;
  /** Clock in milliseconds; inject one in tests. Default `performance.now`. */
  now?: () => number;
}

type Entry = { state: 'in-flight'; token: string } | { state: 'done' };

/** Every handled id shares one record: the cache holds millions of them at most, each a pointer. */
const DONE: Entry = Object.freeze({ state: 'done' });

/** Per-entry bookkeeping of lru-cache and the Map, roughly. */
const ENTRY_OVERHEAD_BYTES = 160;

/**
 * The default store: one process only. It is bounded: when full it forgets the least recently
 * used ids first, so a redelivery of a long-forgotten event would run again (at least once, never lost).
 */
export function createMemoryDedupeStore(options: MemoryDedupeStoreOptions = {}): DedupeStore {
  const cache = new LRUCache<string, Entry>({
    maxSize: options.maxBytes ?? 16 * 1024 * 1024,
    sizeCalculation: (_entry, id) => ENTRY_OVERHEAD_BYTES + id.length * 2,
    // an injected clock (tests) is read on every check, so moving it takes effect at once
    ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
  });
  // tokens only need to be unique within this process
  let claims = 0;
  // ids held while their handlers run synchronously, innermost last: nothing else runs meanwhile, so
  // no cache entry is needed for them unless a handler delivers the same event again from inside
  const heldNow: string[] = [];
  const unhold = (id: string) => {
    const at = heldNow.lastIndexOf(id);
    if (at >= 0) heldNow.splice(at, 1);
  };
  // what a claim of an id answers when it cannot take the id: undefined when it can
  const takenAs = (id: string): 'done' | 'in-flight' | undefined => {
    const entry = cache.get(id);
    if (entry) return entry.state === 'done' ? 'done' : 'in-flight';
    return heldNow.length > 0 && heldNow.includes(id) ? 'in-flight' : undefined;
  };
  const lease = (id: string, leaseMs: number): string => {
    const token = String(++claims);
    cache.set(id, { state: 'in-flight', token }, { ttl: leaseMs });
    return token;
  };
  const now: SyncDedupeStore = {
    claim(id, leaseMs) {
      const taken = takenAs(id);
      return taken ? { status: taken } : { status: 'claimed', token: lease(id, leaseMs) };
    },
    hold(id) {
      const taken = takenAs(id);
      if (taken) return taken;
      heldNow.push(id);
      return 'held';
    },
    keepHolding(id, leaseMs) {
      unhold(id);
      return lease(id, leaseMs);
    },
    doneHolding(id, ttlMs) {
      unhold(id);
      cache.set(id, DONE, { ttl: ttlMs });
    },
    dropHolding: unhold,
    complete(id, _token, ttlMs) {
      cache.set(id, DONE, { ttl: ttlMs });
    },
    release(id, token) {
      const entry = cache.get(id);
      if (entry?.state === 'in-flight' && entry.token === token) cache.delete(id);
    },
  };
  const store: DedupeStore = {
    claim: async (id, leaseMs) => now.claim(id, leaseMs),
    complete: async (id, token, ttlMs) => now.complete(id, token, ttlMs),
    release: async (id, token) => now.release(id, token),
  };
  synchronous.set(store, now);
  return Object.assign(store, { toString: () => `MemoryDedupeStore(${cache.size} ids)` });
}

/** The same operations, answered at once: what a store in this process can offer. */
export interface SyncDedupeStore {
  claim(id: string, leaseMs: number): ClaimResult;
  complete(id: string, token: string, ttlMs: number): void;
  release(id: string, token: string): void;
  /**
   * Holds an id for handlers about to run synchronously, with no cache entry until they return:
   * `held`, or what a claim would have answered. Every `held` ends in one of the three calls
   * below before anything else can run.
   */
  hold(id: string): 'held' | 'done' | 'in-flight';
  /** The handlers returned a promise: the hold becomes a claim with a lease, answering its token. */
  keepHolding(id: string, leaseMs: number): string;
  /** The handlers succeeded synchronously: the id answers `done` for `ttlMs`. */
  doneHolding(id: string, ttlMs: number): void;
  /** The handlers threw synchronously: the next delivery runs again. */
  dropHolding(id: string): void;
}

const synchronous = new WeakMap<DedupeStore, SyncDedupeStore>();

/** The synchronous face of a memory store, so a receiver using it spends no promise per claim; undefined for any other store. */
export function synchronousStore(store: DedupeStore): SyncDedupeStore | undefined {
  return synchronous.get(store);
}
