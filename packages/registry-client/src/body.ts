import { LimitError } from './errors.js';

/**
 * Reads a whole stream, but never more than `maxBytes`: a larger `declared` length is refused before
 * any byte is read, and a stream without one is cancelled at the first byte past the limit, so an
 * oversized body never sits in memory. `tooLarge` makes the error the caller's protocol wants.
 */
export async function readAtMost(body: ReadableStream<Uint8Array> | null, declared: number, maxBytes: number, tooLarge: (declared?: number) => Error): Promise<Uint8Array> {
  if (declared > maxBytes) {
    await body?.cancel().catch(() => undefined);
    throw tooLarge(declared);
  }
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Reads a whole response body, but never more than `maxBytes`: a larger one is cancelled with a `LimitError`. */
export function readBytes(response: Response, maxBytes: number, what: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  return readAtMost(response.body, declared, maxBytes, (length) =>
    new LimitError('maxBytes', length === undefined ? `${what}: the body is more than the ${maxBytes} bytes allowed` : `${what}: ${length} bytes is more than the ${maxBytes} bytes allowed`),
  );
}

export async function readText(response: Response, maxBytes: number, what: string): Promise<string> {
  return new TextDecoder().decode(await readBytes(response, maxBytes, what));
}

/** Parses JSON, or returns undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
