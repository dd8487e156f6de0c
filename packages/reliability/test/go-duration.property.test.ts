import { formatGoDuration, GoDurationError, parseGoDuration } from '@regevents/config';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HANG_THRESHOLD_MS, timed } from './bounded.js';

const MAX_INT64 = 2n ** 63n - 1n;

describe('Go durations under property tests', () => {
  it('format then parse gives back every int64 duration', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -MAX_INT64, max: MAX_INT64 }), (nanoseconds) => {
        expect(parseGoDuration(formatGoDuration(nanoseconds))).toBe(nanoseconds);
      }),
      { numRuns: 5_000 },
    );
  });

  it('any text parses or fails with GoDurationError, in bounded time', () => {
    const durationish = fc.stringMatching(/^[-+]?[0-9.]{0,30}(ns|us|µs|μs|ms|s|m|h|x)?([0-9.]{0,5}(ns|us|ms|s|m|h))*$/);
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), durationish), (text) => {
        const { ms } = timed(() => {
          try {
            parseGoDuration(text);
          } catch (error) {
            expect(error).toBeInstanceOf(GoDurationError);
          }
        });
        expect(ms).toBeLessThan(HANG_THRESHOLD_MS);
      }),
      { numRuns: 10_000 },
    );
  });
});
