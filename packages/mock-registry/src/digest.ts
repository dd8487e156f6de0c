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

// One incremental SHA-256 for the project: the client's (pure JS everywhere, node:crypto from its `/node` entry).
export { portableSha256, type HashFactory, type IncrementalHash } from '@regevents/registry-client';
import type { HashFactory, IncrementalHash } from '@regevents/registry-client';

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
