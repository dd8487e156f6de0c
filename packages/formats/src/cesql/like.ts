/**
 * LIKE patterns (spec 3.4.3): `%` matches any run of characters, `_` exactly one, `\%` and `\_`
 * match themselves; every other character, a lone backslash included, matches itself.
 * Characters are Unicode code points.
 */

const ANY_ONE = Symbol('_');
const ANY_RUN = Symbol('%');

type PatternElement = string | typeof ANY_ONE | typeof ANY_RUN;

/** A compiled pattern; patterns are string literals, so this happens once, at parse time. */
export type LikePattern = readonly PatternElement[];

export function compileLikePattern(pattern: string): LikePattern {
  const chars = Array.from(pattern);
  const elements: PatternElement[] = [];
  for (let index = 0; index < chars.length; index += 1) {
    const char = chars[index] as string;
    const next = chars[index + 1];
    if (char === '\\' && (next === '%' || next === '_')) {
      elements.push(next);
      index += 1;
    } else if (char === '%') {
      // `%%` means the same as `%`; one element keeps the matcher's backtracking short.
      if (elements.at(-1) !== ANY_RUN) elements.push(ANY_RUN);
    } else {
      elements.push(char === '_' ? ANY_ONE : char);
    }
  }
  return elements;
}

/**
 * Whether `text` matches: a two-pointer match that, on a mismatch, retries from the last `%`
 * one character further on. That is O(text × pattern) at worst, where a regular expression
 * built from the pattern can backtrack exponentially on hostile input.
 */
export function matchesLike(text: string, pattern: LikePattern): boolean {
  const chars = Array.from(text);
  let textIndex = 0;
  let patternIndex = 0;
  let lastRun = -1;
  let lastRunTextIndex = 0;
  while (textIndex < chars.length) {
    const element = pattern[patternIndex];
    if (element === ANY_RUN) {
      lastRun = patternIndex;
      lastRunTextIndex = textIndex;
      patternIndex += 1;
    } else if (element !== undefined && (element === ANY_ONE || element === chars[textIndex])) {
      textIndex += 1;
      patternIndex += 1;
    } else if (lastRun !== -1) {
      lastRunTextIndex += 1;
      textIndex = lastRunTextIndex;
      patternIndex = lastRun + 1;
    } else {
      return false;
    }
  }
  while (pattern[patternIndex] === ANY_RUN) patternIndex += 1;
  return patternIndex === pattern.length;
}
