import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/index.js';
import { generalCanonicalJson } from '../src/derived-id.js';

// The key-order cache keeps no counter anyone can read: what it holds shows as the heap its keys keep alive.
let collectGarbage: () => void;

/** The heap in use once garbage is collected, in bytes. */
function liveHeap(): number {
  for (let round = 0; round < 3; round++) collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** Its 256 Ki characters, in code units. */
const CHARS_BOUND = 256 * 1024;
/** The key characters of an order of two keys the cache counts as `counted`: it counts each key written as JSON in its prefix (`{"` or `,"`, the key, `":`). */
const keyCharsCountedAs = (counted: number) => counted - 2 * 4;
/** Two-byte characters, so that every character the cache keeps is two bytes of heap. */
const key = (first: string, length: number, seed: number) => first + String.fromCharCode(0x4e00 + (seed % 0x5000)).repeat(length - 1);
/** An object with two keys out of code-unit order (so its order is remembered), `chars` characters between them (one more in the first for an odd count). */
function unsorted(chars: number, seed: number): Record<string, number> {
  const half = Math.floor(chars / 2);
  return { [key('b', chars - half, seed)]: 1, [key('a', half, seed)]: 2 };
}

/** Whether the fast canonical form agrees with the general one; only a boolean stays behind (an assertion keeps what it compared). */
const agrees = (value: unknown) => canonicalJson(value) === generalCanonicalJson(value);

describe('the key-order cache is bounded by the characters of its keys written as JSON', () => {
  beforeAll(() => {
    // gc taken from a context made while the flag is on, then the flag off again: the file's
    // import and everything else in the worker run with the V8 flags it started with
    setFlagsFromString('--expose-gc');
    try {
      collectGarbage = runInNewContext('gc') as () => void;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  });

  it('keeps a bounded amount of keys, not all of them, when long keys arrive far below the key-count bound', () => {
    const before = liveHeap();
    // 1,000 orders of 2 keys (the key-count bound is 4,096 keys), 64 Ki characters each: 128 MB of keys if nothing bounded them
    for (let seed = 0; seed < 1000; seed++) expect(agrees(unsorted(64 * 1024, seed))).toBe(true);
    const kept = liveHeap() - before;
    // bounded: far below the 128 MB, with room for the heap's noise and what the test itself left (the bound itself is the next test's)
    expect(kept).toBeLessThan(16 * 1024 * 1024);
  });

  it('starts afresh when the next order would pass the bound: the keys it held are let go', () => {
    // rounds, so that the heap's noise (some 100 KB a measurement) is small beside what they let go together
    const rounds = 8;
    const keyChars = keyCharsCountedAs(CHARS_BOUND - 2);
    let letGo = 0;
    for (let round = 0; round < rounds; round++) {
      // two characters under the bound (so that neither > nor >= at the bound changes what happens): whatever the cache held before, it now holds this order alone (512 KB of keys; V8 keeps a prefix of plain characters as a rope over its key, not a copy)
      expect(agrees(unsorted(keyChars, round))).toBe(true);
      // keys already in code-unit order, which the cache does not keep: V8 itself holds the last object's keys until the next one comes, and this lets those go before the measure
      expect(agrees({ x: 1, y: 2 })).toBe(true);
      const holding = liveHeap();
      // one order more passes the character bound (and not the key-count one: 2 keys are held)
      expect(agrees({ b: 1, a: 2 })).toBe(true);
      letGo += holding - liveHeap();
    }
    // at least half of the keys' two-byte characters
    expect(letGo).toBeGreaterThan((rounds * keyChars * 2) / 2);
  });
});
