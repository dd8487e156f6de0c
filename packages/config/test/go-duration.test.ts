import { describe, expect, it } from 'vitest';
import { formatGoDuration, GoDurationError, HOUR, MICROSECOND, MILLISECOND, MINUTE, NANOSECOND, parseGoDuration, SECOND } from '../src/index.js';

const MAX = (1n << 63n) - 1n;
const MIN = -(1n << 63n);

// The cases of Go's own table (src/time/time_test.go, parseDurationTests).
const valid: Array<[string, bigint]> = [
  ['0', 0n],
  ['5s', 5n * SECOND],
  ['30s', 30n * SECOND],
  ['1478s', 1478n * SECOND],
  ['-5s', -5n * SECOND],
  ['+5s', 5n * SECOND],
  ['-0', 0n],
  ['+0', 0n],
  ['5.0s', 5n * SECOND],
  ['5.6s', 5n * SECOND + 600n * MILLISECOND],
  ['5.s', 5n * SECOND],
  ['.5s', 500n * MILLISECOND],
  ['1.0s', SECOND],
  ['1.00s', SECOND],
  ['1.004s', SECOND + 4n * MILLISECOND],
  ['1.0040s', SECOND + 4n * MILLISECOND],
  ['100.00100s', 100n * SECOND + MILLISECOND],
  ['10ns', 10n * NANOSECOND],
  ['11us', 11n * MICROSECOND],
  ['12\u00b5s', 12n * MICROSECOND],
  ['12\u03bcs', 12n * MICROSECOND],
  ['13ms', 13n * MILLISECOND],
  ['14s', 14n * SECOND],
  ['15m', 15n * MINUTE],
  ['16h', 16n * HOUR],
  ['3h30m', 3n * HOUR + 30n * MINUTE],
  ['10.5s4m', 4n * MINUTE + 10n * SECOND + 500n * MILLISECOND],
  ['-2m3.4s', -(2n * MINUTE + 3n * SECOND + 400n * MILLISECOND)],
  ['1h2m3s4ms5us6ns', HOUR + 2n * MINUTE + 3n * SECOND + 4n * MILLISECOND + 5n * MICROSECOND + 6n],
  ['39h9m14.425s', 39n * HOUR + 9n * MINUTE + 14n * SECOND + 425n * MILLISECOND],
  ['52763797000ns', 52763797000n],
  ['0.3333333333333333333h', 20n * MINUTE],
  ['9007199254740993ns', (1n << 53n) + 1n],
  ['9223372036854775807ns', MAX],
  ['9223372036854775.807us', MAX],
  ['9223372036s854ms775us807ns', MAX],
  ['-9223372036854775808ns', MIN],
  ['-9223372036854775.808us', MIN],
  ['-9223372036s854ms775us808ns', MIN],
  ['-2562047h47m16.854775808s', MIN],
  ['0.100000000000000000000h', 6n * MINUTE],
  ['0.830103483285477580700h', 49n * MINUTE + 48n * SECOND + 372539827n],
  // the forms the registry docs and this package's README use
  ['1h2m3.5s', HOUR + 2n * MINUTE + 3n * SECOND + 500n * MILLISECOND],
  ['1.5us', 1500n],
];

// Go's parseDurationErrorTests, with the quoted input each message must contain.
const invalid: Array<[string, string]> = [
  ['', '""'],
  ['3', '"3"'],
  ['-', '"-"'],
  ['s', '"s"'],
  ['.', '"."'],
  ['-.', '"-."'],
  ['.s', '".s"'],
  ['+.s', '"+.s"'],
  ['1d', '"1d"'],
  ['\ufffd', '"\\xef\\xbf\\xbd"'],
  ['\ufffd hello \ufffd world', '"\\xef\\xbf\\xbd hello \\xef\\xbf\\xbd world"'],
  ['9223372036854775810ns', '"9223372036854775810ns"'],
  ['9223372036854775808ns', '"9223372036854775808ns"'],
  ['-9223372036854775809ns', '"-9223372036854775809ns"'],
  ['9223372036854776us', '"9223372036854776us"'],
  ['3000000h', '"3000000h"'],
  ['9223372036854775.808us', '"9223372036854775.808us"'],
  ['9223372036854ms775us808ns', '"9223372036854ms775us808ns"'],
];

describe('parseGoDuration', () => {
  it.each(valid)('%j is %d ns', (text, expected) => {
    expect(parseGoDuration(text)).toBe(expected);
  });

  it.each(invalid)('%j is rejected with a message naming %s', (text, quoted) => {
    expect(() => parseGoDuration(text)).toThrow(GoDurationError);
    expect(() => parseGoDuration(text)).toThrow(quoted);
  });

  it("uses Go's exact messages", () => {
    const messageOf = (text: string) => {
      try {
        parseGoDuration(text);
      } catch (error) {
        return [(error as GoDurationError).message, (error as GoDurationError).reason];
      }
      return undefined;
    };
    expect(messageOf('500')).toEqual(['time: missing unit in duration "500"', 'missing-unit']);
    expect(messageOf('1d')).toEqual(['time: unknown unit "d" in duration "1d"', 'unknown-unit']);
    // after 1.5 comes "." where a unit must start
    expect(messageOf('1.5.s')).toEqual(['time: missing unit in duration "1.5.s"', 'missing-unit']);
    expect(messageOf('x1s')).toEqual(['time: invalid duration "x1s"', 'invalid']);
    expect(messageOf('3000000h')).toEqual(['time: invalid duration "3000000h"', 'overflow']);
    expect(messageOf('1 s')).toEqual(['time: unknown unit " s" in duration "1 s"', 'unknown-unit']);
  });
});

describe('formatGoDuration', () => {
  // Go's durationTests (Duration.String)
  const formatted: Array<[string, bigint]> = [
    ['0s', 0n],
    ['1ns', 1n],
    ['1.1\u00b5s', 1100n],
    ['2.2ms', 2200n * MICROSECOND],
    ['3.3s', 3300n * MILLISECOND],
    ['4m5s', 4n * MINUTE + 5n * SECOND],
    ['4m5.001s', 4n * MINUTE + 5001n * MILLISECOND],
    ['5h6m7.001s', 5n * HOUR + 6n * MINUTE + 7001n * MILLISECOND],
    ['8m0.000000001s', 8n * MINUTE + 1n],
    ['2562047h47m16.854775807s', MAX],
    ['-2562047h47m16.854775808s', MIN],
    ['1h0m0s', HOUR],
    ['-500ms', -500n * MILLISECOND],
  ];

  it.each(formatted)('writes %s', (text, value) => {
    expect(formatGoDuration(value)).toBe(text);
  });

  it('accepts numbers and refuses values no int64 holds', () => {
    expect(formatGoDuration(1500)).toBe('1.5\u00b5s');
    expect(() => formatGoDuration(MAX + 1n)).toThrow(RangeError);
  });

  it('round-trips through parseGoDuration, including both int64 extremes', () => {
    for (const value of [MAX, MIN, 0n, 1n, 999n, 1000n, 123456789n, 90n * MINUTE, -7n * HOUR - 1n]) {
      expect(parseGoDuration(formatGoDuration(value))).toBe(value);
    }
  });
});
