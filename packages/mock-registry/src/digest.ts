import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** `sha256:<64 hex>`; other algorithms are refused, as distribution's default config does. */
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

export function digestOf(bytes: Uint8Array): string {
  return `sha256:${bytesToHex(sha256(bytes))}`;
}

/**
 * A running SHA-256 over an upload. WebCrypto can only digest a whole buffer, and keeping a
 * chunked upload whole just to hash it would double its memory, so chunks are hashed as they come.
 */
export class DigestAccumulator {
  readonly #hash = sha256.create();
  #size = 0;

  update(chunk: Uint8Array): void {
    this.#hash.update(chunk);
    this.#size += chunk.byteLength;
  }

  get size(): number {
    return this.#size;
  }

  /** The digest so far; the accumulator stays usable (the hash state is cloned). */
  peek(): string {
    return `sha256:${bytesToHex(this.#hash.clone().digest())}`;
  }
}
