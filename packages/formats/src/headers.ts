/** Request headers in any of the shapes frameworks hand them over. */
export type HeadersLike = Headers | Record<string, string | readonly string[] | undefined> | Iterable<readonly [string, string]>;

type HeaderRecord = Record<string, string | readonly string[] | undefined>;

/** `found` with `value`'s items appended, `, `-separated. */
function joined(found: string | undefined, value: string | readonly string[]): string | undefined {
  if (typeof value === 'string') return found === undefined ? value : `${found}, ${value}`;
  for (const item of value) found = found === undefined ? item : `${found}, ${item}`;
  return found;
}

/** Whether `key` names the header `wanted` (lower case); most keys differ in length, and are not lower-cased at all. */
const names = (key: string, wanted: string): boolean => key.length === wanted.length && key.toLowerCase() === wanted;

/** The value of a header (case-insensitive), repeated values joined with `, ` as HTTP does. */
export function headerValue(headers: HeadersLike | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  let found: string | undefined;
  if (Symbol.iterator in headers) {
    for (const [key, value] of headers as Iterable<readonly [string, string]>) if (names(key, wanted) && value !== undefined) found = joined(found, value);
    return found;
  }
  // this runs for every check of a receiver's delivery: no entries array, no list of matches
  for (const key of Object.keys(headers)) {
    const value = (headers as HeaderRecord)[key];
    if (names(key, wanted) && value !== undefined) found = joined(found, value);
  }
  return found;
}
