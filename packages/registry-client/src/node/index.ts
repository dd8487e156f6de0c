import { createHash, type Hash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { createRegistryClient as createClient, type RegistryClient, type RegistryClientOptions } from '../client.js';
import type { HashFactory, IncrementalHash } from '../digest.js';
import { createNodeFetch } from './http-fetch.js';

export { AuthFileError, authFileCredentials, dockerConfigCredentials, type AuthFileEntry, type AuthFileOptions, type DockerConfigOptions } from './docker-config.js';
export { createNodeFetch } from './http-fetch.js';

/** node:crypto's SHA-256, fed chunk by chunk (native, several times faster than the portable one). */
export const nodeSha256: HashFactory = () => wrapNode(createHash('sha256'));

function wrapNode(hash: Hash): IncrementalHash {
  return { update: (chunk) => hash.update(chunk), digestHex: () => hash.digest('hex'), clone: () => wrapNode(hash.copy()) };
}

/** `createRegistryClient` from the main entry, hashing with node:crypto and sending with node:http (`createNodeFetch`) unless `fetch` is given. */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  return createClient({ sha256: nodeSha256, fetch: createNodeFetch(), ...options });
}

/** A file as a `Blob` for `pushBlob` (read lazily, in chunks, when the upload sends it). */
export function fileSource(path: string): Promise<Blob> {
  return openAsBlob(path);
}
