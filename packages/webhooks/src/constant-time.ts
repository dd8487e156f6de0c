const encoder = new TextEncoder();

/**
 * Compares two byte strings without an early exit: the time depends on the lengths, never on
 * where the bytes differ.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.byteLength ^ b.byteLength;
  const length = Math.max(a.byteLength, b.byteLength);
  for (let i = 0; i < length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

/**
 * Compares a presented value with a secret by walking the secret's bytes: the time depends on
 * the secret's length alone, neither on the presented value nor on the first wrong byte.
 */
function matchesSecret(presented: Uint8Array, secret: Uint8Array): boolean {
  let difference = presented.byteLength ^ secret.byteLength;
  for (let i = 0; i < secret.byteLength; i++) difference |= (presented[i] ?? 0) ^ (secret[i] as number);
  return difference === 0;
}

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

  /** True when any candidate equals any accepted secret; every pair is compared, with no early exit. */
  matchesAny(candidates: readonly string[]): boolean {
    let matched = false;
    for (const candidate of candidates) {
      const presented = encoder.encode(candidate);
      for (const secret of this.#accepted) matched = matchesSecret(presented, secret) || matched;
    }
    return matched;
  }

  toString(): string {
    return `SecretSet(${this.size} secrets)`;
  }
}
