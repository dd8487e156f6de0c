import { RegistryError } from './errors.js';

/** distribution's `maxManifestBodySize` (registry/handlers/manifests.go): 4 MiB. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** What distribution answers when `http.MaxBytesReader` stops a manifest PUT. */
function manifestTooLarge(): RegistryError {
  // Go's server closes a connection whose body it stopped reading; the rest of the body is not read.
  return new RegistryError('MANIFEST_INVALID', { detail: 'http: request body too large', headers: { Connection: 'close' } });
}

/**
 * A manifest body, read no further than `MAX_MANIFEST_BYTES`: a larger `Content-Length` is refused
 * before any byte is read, and a body without one is refused at the first byte past the limit, so a
 * huge PUT never sits in memory.
 */
export async function readManifestBody(request: Request): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length'));
  if (declared > MAX_MANIFEST_BYTES) throw manifestTooLarge();
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_MANIFEST_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw manifestTooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
