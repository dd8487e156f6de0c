/**
 * Writes `[0-9a-f]{8}` out as eight copies of the class. The language is the same (a class matches
 * exactly one character and captures nothing), but V8 runs the counted form as a loop and the copies
 * as straight-line checks: a UUID pattern tests in about half the time. Only a character class with
 * an exact, greedy count of 1 to 16 is written out; everything else is copied as it is.
 */
export function unrollCountedClasses(source) {
  let out = '';
  let at = 0;
  while (at < source.length) {
    if (source[at] === '\\') {
      out += source.slice(at, at + 2);
      at += 2;
    } else if (source[at] === '[') {
      const end = classEnd(source, at);
      const characterClass = source.slice(at, end);
      const count = /^\{([1-9]\d*)\}(?!\?)/.exec(source.slice(end));
      if (count && Number(count[1]) <= 16) {
        out += characterClass.repeat(Number(count[1]));
        at = end + count[0].length;
      } else {
        out += characterClass;
        at = end;
      }
    } else {
      out += source[at];
      at++;
    }
  }
  return out;
}

/** Where the class opening at `start` ends (past its `]`): without the u or v flag, `[` inside is literal and `]` first closes it. */
function classEnd(source, start) {
  let at = start + 1;
  if (source[at] === '^') at++;
  while (source[at] !== ']') {
    if (at >= source.length) throw new Error(`unterminated character class in ${source}`);
    at += source[at] === '\\' ? 2 : 1;
  }
  return at + 1;
}
