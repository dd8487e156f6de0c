import { timingSafeEqual } from '@regevents/formats';

const encoder = new TextEncoder();

/**
 * A set of accepted secret strings. The bytes live in a private field (not enumerable, not
 * shown by `util.inspect`), and `toString` shows only how many there are.
 */
export class SecretSet {
  readonly #accepted: readonly Uint8Array[];

  constructor(secrets: readonly string[]) {
    this.#accepted = secrets.map((secret) => encoder.encode(secret));
  }

  get size(): number {
    return this.#accepted.length;
  }

  /**
   * True when any candidate equals any accepted secret; every pair is compared, with no early
   * exit, walking the secret's bytes: the time depends on the secrets' lengths alone.
   */
  matchesAny(candidates: readonly string[]): boolean {
    let matched = false;
    for (const candidate of candidates) {
      const presented = encoder.encode(candidate);
      for (const secret of this.#accepted) matched = timingSafeEqual(presented, secret) || matched;
    }
    return matched;
  }

  toString(): string {
    return `SecretSet(${this.size} secrets)`;
  }
}
