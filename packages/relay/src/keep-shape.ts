import type { Persist } from './log-retry.js';
import type { RelayLog } from './log.js';
import { createMemoryLog } from './memory-log.js';

/**
 * One inert object of each class the consumer's hot path uses, alive for as long as the process.
 * V8's optimized code embeds the hidden classes of the objects it handles but holds them weakly:
 * once no object of such a class is alive (a consumer stopped, a quiet spell's last context
 * collected, every partition moved), that code is thrown away ("weak objects" deopts) and compiled
 * again on the next start. An object kept here (made of no-op parts, never run) holds its class.
 */
const kept: object[] = [];

/** Keeps `inert` (and so its hidden class) alive for good, and answers it: call it once per class, from its static block. */
export function keepShape<T extends object>(inert: T): T {
  kept.push(inert);
  return inert;
}

/** No-op parts for the inert objects' options: never called. */
export const INERT_LOG: RelayLog = createMemoryLog();
export const INERT_PERSIST: Persist = () => Promise.resolve(undefined);
export const ignore = (): void => undefined;
