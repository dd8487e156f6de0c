import { LimitError } from './errors.js';

/** Reads a whole body, but never more than `maxBytes`: a larger one is cancelled with a `LimitError`. */
export async function readBytes(response: Response, maxBytes: number, what: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new LimitError('maxBytes', `${what}: ${declared} bytes is more than the ${maxBytes} bytes allowed`);
  }
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new LimitError('maxBytes', `${what}: the body is more than the ${maxBytes} bytes allowed`);
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
