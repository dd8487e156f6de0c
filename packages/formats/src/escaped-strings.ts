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

function unescapedQuoteAfter(text: string, index: number): number {
  let quote = text.indexOf('"', index);
  while (isEscaped(text, quote)) quote = text.indexOf('"', quote + 1);
  return quote;
}

// Not in TypeScript's ES2023 lib; missing on older runtimes, where nothing is known.
const isWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

/**
 * The decoded lengths of `text`'s string tokens that hold a backslash (keys included), or undefined
 * when the text may hold lone surrogates. `text` must be JSON that `JSON.parse` accepted: every
 * backslash in it is then inside a string token, whose quotes are the nearest unescaped ones. Each
 * token is read once, with native searches, so the cost is that of the tokens with escapes.
 */
export function escapedLengthsOf(text: string): EscapedLengths | undefined {
  if (!isWellFormed?.call(text)) return undefined;
  const lengths = new Set<number>();
  for (let slash = text.indexOf('\\'); slash >= 0; ) {
    const end = unescapedQuoteAfter(text, slash);
    lengths.add((JSON.parse(text.slice(unescapedQuoteBefore(text, slash), end + 1)) as string).length);
    slash = text.indexOf('\\', end + 1);
  }
  return lengths;
}
