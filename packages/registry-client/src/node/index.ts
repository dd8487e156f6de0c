import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { createRegistryClient as createClient, type RegistryClient, type RegistryClientOptions } from '../client.js';
import type { HashFactory } from '../digest.js';

export { dockerConfigCredentials, type DockerConfigOptions } from './docker-config.js';

/** node:crypto's SHA-256, fed chunk by chunk (native, several times faster than the portable one). */
export const nodeSha256: HashFactory = () => {
  const hash = createHash('sha256');
  return { update: (chunk) => hash.update(chunk), digestHex: () => hash.digest('hex') };
};

/** `createRegistryClient` from the main entry, hashing with node:crypto. */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  return createClient({ sha256: nodeSha256, ...options });
}

/** A file as a `Blob` for `pushBlob` (read lazily, in chunks, when the upload sends it). */
export function fileSource(path: string): Promise<Blob> {
  return openAsBlob(path);
}
