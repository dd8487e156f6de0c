import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { IntegrityError } from './errors.js';

/** A SHA-256 fed chunk by chunk. */
export interface IncrementalHash {
  update(chunk: Uint8Array): void;
  /** Lowercase hex; called once, at the end. */
  digestHex(): string;
}

export type HashFactory = () => IncrementalHash;

/**
 * WebCrypto only digests whole buffers, and holding a blob whole to hash it is what a streaming
 * client must not do, so streams are hashed with a pure-JS SHA-256 that runs everywhere.
 * `@regevents/registry-client/node` swaps in node:crypto.
 */
export const portableSha256: HashFactory = () => {
  const hash = sha256.create();
  return { update: (chunk) => hash.update(chunk), digestHex: () => bytesToHex(hash.digest()) };
};

/** `sha256:<hex>` of a buffer, with WebCrypto (native everywhere). */
export async function digestOf(bytes: Uint8Array): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return `sha256:${bytesToHex(new Uint8Array(hash))}`;
}

function algorithmOf(digest: string): string {
  return digest.slice(0, digest.indexOf(':'));
}

/** Throws unless `bytes` hash to `expected`; other algorithms than sha256 are refused, as distribution's default config does. */
export async function verifyBytes(what: string, bytes: Uint8Array, expected: string): Promise<string> {
  if (algorithmOf(expected) !== 'sha256') throw new IntegrityError(what, 'a sha256 digest', expected);
  const actual = await digestOf(bytes);
  if (actual !== expected.toLowerCase()) throw new IntegrityError(what, expected, actual);
  return actual;
}

/**
 * Passes a blob's bytes through, hashing and counting them; the stream errors with an
 * `IntegrityError` at its end when the digest or the size is not the expected one, so a
 * consumer never takes a truncated or altered blob for a good one.
 */
export function verifyingStream(what: string, expected: { digest: string; size?: number }, newHash: HashFactory | undefined): TransformStream<Uint8Array, Uint8Array> {
  if (newHash && algorithmOf(expected.digest) !== 'sha256') throw new IntegrityError(what, 'a sha256 digest', expected.digest);
  // Without a hash factory only the size is checked.
  const hash = newHash?.();
  let size = 0;
  return new TransformStream({
    transform(chunk, controller) {
      size += chunk.byteLength;
      if (expected.size !== undefined && size > expected.size) {
        controller.error(new IntegrityError(`${what} size`, `${expected.size} bytes`, `more than ${expected.size}`));
        return;
      }
      hash?.update(chunk);
      controller.enqueue(chunk);
    },
    flush(controller) {
      if (expected.size !== undefined && size !== expected.size) {
        controller.error(new IntegrityError(`${what} size`, `${expected.size} bytes`, `${size} bytes (truncated)`));
        return;
      }
      if (!hash) return;
      const actual = `sha256:${hash.digestHex()}`;
      if (actual !== expected.digest.toLowerCase()) controller.error(new IntegrityError(`${what} digest`, expected.digest, actual));
    },
  });
}
