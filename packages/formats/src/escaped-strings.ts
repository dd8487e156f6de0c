/**
 * What a JSON text tells of the strings parsed from it, without looking at them: a string token
 * with no backslash decodes to its characters as they are, which JSON.stringify writes back
 * unescaped (no `"`, no `\`, no control character, which JSON forbids raw, and no lone surrogate
 * when the text is well formed). So only strings from tokens holding a backslash may need an
 * escape, and their lengths tell them apart: a string of any other length needs none.
 */
export type EscapedLengths = ReadonlySet<number>;

/** Whether the `"` at `index` is escaped: an odd run of backslashes before it. */
function isEscaped(text: string, index: number): boolean {
  let slashes = 0;
  while (text.charCodeAt(index - 1 - slashes) === 0x5c) slashes++;
  return slashes % 2 === 1;
}

function unescapedQuoteBefore(text: string, index: number): number {
  let quote = text.lastIndexOf('"', index);
  while (isEscaped(text, quote)) quote = text.lastIndexOf('"', quote - 1);
  return quote;
}

/**
 * The string token whose first backslash is at `slash`: where its closing quote is, and how many
 * characters it decodes to. Escapes are stepped over one by one (`\uXXXX` is six characters for
 * one, any other escape two), so a `"` found between them closes the token; the search for it is
 * only repeated once it falls behind, which keeps a token full of escapes linear.
 */
function tokenFrom(text: string, start: number, slash: number): { end: number; length: number } {
  let removed = 0;
  let quote = -1;
  for (let escape = slash; ; ) {
    const after = escape + (text.charCodeAt(escape + 1) === 0x75 ? 6 : 2);
    removed += after - escape - 1;
    if (quote < after) quote = text.indexOf('"', after);
    const next = text.indexOf('\\', after);
    if (next < 0 || next > quote) return { end: quote, length: quote - start - 1 - removed };
    escape = next;
  }
}

// Not in TypeScript's ES2023 lib; missing on older runtimes, where nothing is known.
const isWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

/**
 * The decoded lengths of `text`'s string tokens that hold a backslash (keys included), or undefined
 * when the text may hold lone surrogates. `text` must be JSON that `JSON.parse` accepted: every
 * backslash in it is then inside a string token, whose quotes are the nearest unescaped ones. Each
 * token is read once, by native searches from escape to escape, so the cost is that of the tokens with escapes.
 */
export function escapedLengthsOf(text: string): EscapedLengths | undefined {
  if (!isWellFormed?.call(text)) return undefined;
  const lengths = new Set<number>();
  for (let slash = text.indexOf('\\'); slash >= 0; ) {
    // the first backslash after the last token read is its token's first
    const { end, length } = tokenFrom(text, unescapedQuoteBefore(text, slash), slash);
    lengths.add(length);
    slash = text.indexOf('\\', end + 1);
  }
  return lengths;
}
