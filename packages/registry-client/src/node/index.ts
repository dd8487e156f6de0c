import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { createRegistryClient as createClient, type RegistryClient, type RegistryClientOptions } from '../client.js';
import type { HashFactory } from '../digest.js';
import { createNodeFetch } from './http-fetch.js';

export { dockerConfigCredentials, type DockerConfigOptions } from './docker-config.js';
export { createNodeFetch } from './http-fetch.js';

/** node:crypto's SHA-256, fed chunk by chunk (native, several times faster than the portable one). */
export const nodeSha256: HashFactory = () => {
  const hash = createHash('sha256');
  return { update: (chunk) => hash.update(chunk), digestHex: () => hash.digest('hex') };
};

/** `createRegistryClient` from the main entry, hashing with node:crypto and sending with node:http (`createNodeFetch`) unless `fetch` is given. */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  return createClient({ sha256: nodeSha256, fetch: createNodeFetch(), ...options });
}

/** A file as a `Blob` for `pushBlob` (read lazily, in chunks, when the upload sends it). */
export function fileSource(path: string): Promise<Blob> {
  return openAsBlob(path);
}
