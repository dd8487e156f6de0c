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

/** A SHA-256 fed chunk by chunk. */
export interface IncrementalHash {
  update(chunk: Uint8Array): void;
  /** Lowercase hex; called once, at the end. */
  digestHex(): string;
}

export type HashFactory = () => IncrementalHash;

/**
 * WebCrypto can only digest a whole buffer, and keeping a chunked upload whole just to hash it
 * would double its memory, so uploads are hashed as chunks arrive with a pure-JS SHA-256 that
 * runs everywhere. On Node, `@regevents/mock-registry/node` swaps in node:crypto (about 20x faster).
 */
export const portableSha256: HashFactory = () => {
  const hash = sha256.create();
  return { update: (chunk) => hash.update(chunk), digestHex: () => bytesToHex(hash.digest()) };
};

/** The running digest and size of an upload. */
export class DigestAccumulator {
  readonly #hash: IncrementalHash;
  #size = 0;

  constructor(factory: HashFactory) {
    this.#hash = factory();
  }

  update(chunk: Uint8Array): void {
    this.#hash.update(chunk);
    this.#size += chunk.byteLength;
  }

  get size(): number {
    return this.#size;
  }

  /** The digest of everything received; the accumulator is spent afterwards. */
  finish(): string {
    return `sha256:${this.#hash.digestHex()}`;
  }
}
