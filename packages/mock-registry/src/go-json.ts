/**
 * JSON laid out as Go's `json.MarshalIndent(v, "", "   ")` writes it, the encoder the registry
 * uses for notification bodies. Go escapes `<`, `>`, `&`, U+2028 and U+2029 (HTML-safe output)
 * and writes `\b` and `\f` as `\u0008` and `\u000c`; a user agent or tag can hold any of them,
 * and a byte-for-byte comparison with the real registry must not trip over it.
 */
export function goMarshalIndent(value: unknown): string {
  return goEscape(JSON.stringify(value, null, 3));
}

/** Compact JSON followed by a newline, as Go's `json.NewEncoder(w).Encode(v)` writes API bodies. */
export function goEncode(value: unknown): string {
  return `${goEscape(JSON.stringify(value))}\n`;
}

const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
  '\\b': '\\u0008',
  '\\f': '\\u000c',
  '\\\\': '\\\\',
};

// `\\\\` is matched (and kept) so that an escaped backslash followed by `b` is not read as `\b`.
function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]|\\\\|\\b|\\f/g, (match) => GO_ESCAPES[match] ?? match);
}
