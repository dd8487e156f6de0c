const encoder = new TextEncoder();

/**
 * Compares two byte strings in time that depends only on their lengths, never on where they differ.
 * Callers compare fixed-length MACs, so the length reveals nothing either.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.byteLength ^ b.byteLength;
  const length = Math.max(a.byteLength, b.byteLength);
  for (let i = 0; i < length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

async function macKey(): Promise<CryptoKey> {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/**
 * A set of accepted secret strings. Every comparison is between HMACs under a random per-process
 * key ("double HMAC"), so neither the timing nor the length of a comparison depends on the secret,
 * and the secrets themselves are not kept: only their MACs, which are useless outside this process.
 */
export class SecretSet {
  readonly #key: Promise<CryptoKey>;
  readonly #accepted: Promise<Uint8Array[]>;
  readonly size: number;

  constructor(secrets: readonly string[]) {
    this.size = secrets.length;
    this.#key = macKey();
    const copies = [...secrets];
    this.#accepted = this.#key.then((key) => Promise.all(copies.map((secret) => mac(key, secret))));
  }

  /** True when any candidate equals any accepted secret; every pair is compared, with no early exit. */
  async matchesAny(candidates: readonly string[]): Promise<boolean> {
    if (candidates.length === 0) return false;
    const key = await this.#key;
    const accepted = await this.#accepted;
    const presented = await Promise.all(candidates.map((candidate) => mac(key, candidate)));
    let matched = false;
    for (const candidate of presented) for (const secret of accepted) matched = timingSafeEqual(candidate, secret) || matched;
    return matched;
  }

  toString(): string {
    return `SecretSet(${this.size} secrets)`;
  }
}

async function mac(key: CryptoKey, value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(value)));
}
