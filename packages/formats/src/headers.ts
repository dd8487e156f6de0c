/** Request headers in any of the shapes frameworks hand them over. */
export type HeadersLike = Headers | Record<string, string | readonly string[] | undefined> | Iterable<readonly [string, string]>;

/** The value of a header (case-insensitive), repeated values joined with `, ` as HTTP does. */
export function headerValue(headers: HeadersLike | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  const found: string[] = [];
  const entries = Symbol.iterator in headers ? (headers as Iterable<readonly [string, string]>) : Object.entries(headers);
  for (const [key, value] of entries) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    if (typeof value === 'string') found.push(value);
    else found.push(...(value as readonly string[]));
  }
  return found.length > 0 ? found.join(', ') : undefined;
}
