/**
 * One incoming HTTP request, whatever the server: the fetch and node:http adapters both present
 * a request this way, so every check runs on the same code.
 */
export interface IncomingDelivery {
  method: string;
  /** Every value of a header as it arrived; a repeated header gives several entries. */
  headerValues(name: string): string[];
  /** The headers, for handlers (built on first use). */
  headers(): Headers;
  /** The peer's address, when the server knows it. */
  remoteAddress: string | undefined;
  /**
   * Reads the whole body, then calls `onBody`; `onError` gets `BodyTooLargeError` as soon as it
   * grows past `limit`. Callbacks, not a promise: on node the answer is then written from the
   * body's last event, with no turn of the microtask queue per step.
   */
  readBody(limit: number, onBody: (body: Uint8Array) => void, onError: (error: unknown) => void): void;
}

/** The values of the headers a check reads, in a shape `@regevents/formats` takes, without building the delivery's whole `Headers`. */
export function headersNamed(delivery: IncomingDelivery, names: readonly string[]): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const name of names) found[name] = delivery.headerValues(name);
  return found;
}

/** Joins chunks without copying when there is only one. */
export function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * Header values as separate items: a registry configured with two values for one header sends two
 * header lines, which fetch-style `Headers` join with ", ". Credentials never contain commas
 * (RFC 6750 b64token, base64), so splitting recovers them; the unsplit value is kept too, so a
 * static header secret that contains a comma still matches.
 */
export function headerItems(values: readonly string[]): string[] {
  // the common case, one value and no comma, without a Set
  if (values.length === 1 && !(values[0] as string).includes(',')) {
    const trimmed = (values[0] as string).trim();
    return trimmed ? [trimmed] : [];
  }
  const items = new Set<string>();
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed) items.add(trimmed);
    if (!value.includes(',')) continue;
    for (const part of value.split(',')) {
      const item = part.trim();
      if (item) items.add(item);
    }
  }
  return [...items];
}
