/**
 * Go's `time.ParseDuration` and `Duration.String`, ported faithfully: the registry reads every
 * duration in its config through them, so a linter that disagrees with Go by one nanosecond or one
 * accepted spelling would be lying. Values are nanoseconds as `bigint`, because a Go duration is an
 * int64 and a JavaScript number loses precision above 2^53 ns (about 104 days).
 */

const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);
const TWO_TO_63 = 1n << 63n;

export const NANOSECOND = 1n;
export const MICROSECOND = 1_000n;
export const MILLISECOND = 1_000_000n;
export const SECOND = 1_000_000_000n;
export const MINUTE = 60n * SECOND;
export const HOUR = 60n * MINUTE;

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', NANOSECOND],
  ['us', MICROSECOND],
  ['\u00b5s', MICROSECOND], // µ MICRO SIGN
  ['\u03bcs', MICROSECOND], // μ GREEK SMALL LETTER MU
  ['ms', MILLISECOND],
  ['s', SECOND],
  ['m', MINUTE],
  ['h', HOUR],
]);

/** Thrown by {@link parseGoDuration}; `message` is exactly what Go's `time.ParseDuration` returns. */
export class GoDurationError extends Error {
  override readonly name = 'GoDurationError';
  constructor(
    message: string,
    /** The text that failed to parse. */
    readonly input: string,
    readonly reason: 'invalid' | 'missing-unit' | 'unknown-unit' | 'overflow',
  ) {
    super(message);
  }
}

/** Go's `time.quote`: printable ASCII kept, everything else written as the `\xNN` of its UTF-8 bytes. */
function goQuote(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || code >= 0x80) {
      for (const byte of new TextEncoder().encode(char)) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    } else {
      out += char === '"' || char === '\\' ? `\\${char}` : char;
    }
  }
  return `${out}"`;
}

const isDigit = (char: string | undefined): boolean => char !== undefined && char >= '0' && char <= '9';

/** Go's `leadingInt`: the digits at `start`, or undefined when they overflow 2^63. */
function leadingInt(text: string, start: number): { value: bigint; end: number } | undefined {
  let value = 0n;
  let index = start;
  for (; isDigit(text[index]); index++) {
    if (value > TWO_TO_63 / 10n) return undefined;
    value = value * 10n + BigInt(text.charCodeAt(index) - 48);
    if (value > TWO_TO_63) return undefined;
  }
  return { value, end: index };
}

/** Go's `leadingFraction`: digits after the point; precision beyond int64 is dropped, not an error. */
function leadingFraction(text: string, start: number): { value: bigint; scale: number; end: number } {
  let value = 0n;
  let scale = 1;
  let overflow = false;
  let index = start;
  for (; isDigit(text[index]); index++) {
    if (overflow) continue;
    if (value > MAX_INT64 / 10n) {
      overflow = true;
      continue;
    }
    const next = value * 10n + BigInt(text.charCodeAt(index) - 48);
    if (next > TWO_TO_63) {
      overflow = true;
      continue;
    }
    value = next;
    scale *= 10;
  }
  return { value, scale, end: index };
}

/**
 * Parses a Go duration string such as `1h2m3.5s`, `500ms`, `1.5µs`, `-2m` or `0` into
 * nanoseconds. Throws {@link GoDurationError} with Go's own message for anything Go rejects:
 * a missing unit (`"500"`), an unknown unit (`"1d"`), or a value outside int64 nanoseconds.
 */
export function parseGoDuration(text: string): bigint {
  const invalid = () => new GoDurationError(`time: invalid duration ${goQuote(text)}`, text, 'invalid');
  const overflow = () => new GoDurationError(`time: invalid duration ${goQuote(text)}`, text, 'overflow');
  let index = 0;
  let negative = false;
  if (text[0] === '-' || text[0] === '+') {
    negative = text[0] === '-';
    index = 1;
  }
  if (text.slice(index) === '0') return 0n;
  if (index === text.length) throw invalid();

  let total = 0n;
  while (index < text.length) {
    const first = text[index];
    if (first !== '.' && !isDigit(first)) throw invalid();
    const whole = leadingInt(text, index);
    if (!whole) throw overflow();
    const hasWhole = whole.end !== index;
    index = whole.end;
    let fraction = { value: 0n, scale: 1, end: index };
    let hasFraction = false;
    if (text[index] === '.') {
      fraction = leadingFraction(text, index + 1);
      hasFraction = fraction.end !== index + 1;
      index = fraction.end;
    }
    if (!hasWhole && !hasFraction) throw invalid();

    let unitEnd = index;
    while (unitEnd < text.length && text[unitEnd] !== '.' && !isDigit(text[unitEnd])) unitEnd++;
    if (unitEnd === index) throw new GoDurationError(`time: missing unit in duration ${goQuote(text)}`, text, 'missing-unit');
    const unitName = text.slice(index, unitEnd);
    index = unitEnd;
    const unit = UNITS.get(unitName);
    if (unit === undefined) {
      throw new GoDurationError(`time: unknown unit ${goQuote(unitName)} in duration ${goQuote(text)}`, text, 'unknown-unit');
    }

    if (whole.value > TWO_TO_63 / unit) throw overflow();
    let value = whole.value * unit;
    if (fraction.value > 0n) {
      // Go computes the fractional part in float64 on purpose (nanosecond-exact for fractions of an hour).
      value += BigInt(Math.trunc(Number(fraction.value) * (Number(unit) / fraction.scale)));
      if (value > TWO_TO_63) throw overflow();
    }
    total += value;
    if (total > TWO_TO_63) throw overflow();
  }
  if (negative) return -total;
  if (total > MAX_INT64) throw overflow();
  return total;
}

/** Go's `fmtFrac`: the last `precision` digits of `value` as `.ddd` without trailing zeros. */
function splitFraction(value: bigint, precision: number): { fraction: string; rest: bigint } {
  const divisor = 10n ** BigInt(precision);
  const digits = (value % divisor).toString().padStart(precision, '0').replace(/0+$/, '');
  return { fraction: digits ? `.${digits}` : '', rest: value / divisor };
}

/**
 * Formats nanoseconds the way Go's `Duration.String` does: `1h2m3.5s`, `500ms`, `1.5µs` (U+00B5),
 * `0s`. Accepts a number of nanoseconds too (rounded to the nearest integer). Throws a RangeError
 * outside the int64 range, which no Go duration can hold.
 */
export function formatGoDuration(nanoseconds: bigint | number): string {
  const value = typeof nanoseconds === 'bigint' ? nanoseconds : BigInt(Math.round(nanoseconds));
  if (value > MAX_INT64 || value < MIN_INT64) throw new RangeError(`${value} ns is outside the range of a Go duration (int64)`);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  let text: string;
  if (magnitude === 0n) {
    text = '0s';
  } else if (magnitude < SECOND) {
    const [precision, unit] = magnitude < MICROSECOND ? [0, 'ns'] : magnitude < MILLISECOND ? [3, '\u00b5s'] : [6, 'ms'];
    const { fraction, rest } = splitFraction(magnitude, precision);
    text = `${rest}${fraction}${unit}`;
  } else {
    const { fraction, rest: seconds } = splitFraction(magnitude, 9);
    const minutes = seconds / 60n;
    const hours = minutes / 60n;
    text = `${seconds % 60n}${fraction}s`;
    if (minutes > 0n) text = `${minutes % 60n}m${text}`;
    if (hours > 0n) text = `${hours}h${text}`;
  }
  return negative ? `-${text}` : text;
}
