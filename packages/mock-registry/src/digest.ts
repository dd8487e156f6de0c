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
  /** An independent copy of the running state, so a digest can be taken while hashing goes on. */
  clone?(): IncrementalHash;
}

export type HashFactory = () => IncrementalHash;

/**
 * WebCrypto can only digest a whole buffer, and keeping a chunked upload whole just to hash it
 * would double its memory, so uploads are hashed as chunks arrive with a pure-JS SHA-256 that
 * runs everywhere. On Node, `@regevents/mock-registry/node` swaps in node:crypto (about 20x faster).
 */
export const portableSha256: HashFactory = () => wrapNoble(sha256.create());

function wrapNoble(hash: ReturnType<typeof sha256.create>): IncrementalHash {
  return { update: (chunk) => hash.update(chunk), digestHex: () => bytesToHex(hash.digest()), clone: () => wrapNoble(hash.clone()) };
}

/** The running digest and size of an upload. */
export class DigestAccumulator {
  readonly #hash: IncrementalHash;
  #size = 0;
  #spent = false;

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

  /**
   * The digest of everything received so far. Hashing can go on afterwards (a registry keeps an
   * upload open after a PUT with the wrong digest) when the hash can be cloned; otherwise the
   * accumulator is spent and later digests are empty.
   */
  digest(): string {
    if (this.#spent) return '';
    const hash = this.#hash.clone?.();
    if (!hash) this.#spent = true;
    return `sha256:${(hash ?? this.#hash).digestHex()}`;
  }
}
