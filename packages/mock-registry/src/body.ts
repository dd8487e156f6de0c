import { readAtMost } from '@regevents/registry-client';
import { RegistryError } from './errors.js';

/** distribution's `maxManifestBodySize` (registry/handlers/manifests.go): 4 MiB. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** What distribution answers when `http.MaxBytesReader` stops a manifest PUT. */
function manifestTooLarge(): RegistryError {
  // Go's server closes a connection whose body it stopped reading; the rest of the body is not read.
  return new RegistryError('MANIFEST_INVALID', { detail: 'http: request body too large', headers: { Connection: 'close' } });
}

/**
 * A manifest body, read no further than `MAX_MANIFEST_BYTES` (the client's one bounded reader): a
 * huge PUT never sits in memory.
 */
export function readManifestBody(request: Request): Promise<Uint8Array> {
  return readAtMost(request.body, Number(request.headers.get('content-length')), MAX_MANIFEST_BYTES, manifestTooLarge);
}
