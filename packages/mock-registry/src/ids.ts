/** Makes event, request and upload ids. */
export type IdGenerator = () => string;

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function format(bytes: Uint8Array): string {
  const h = hex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** UUIDv4, as distribution up to 3.0 makes them. */
export function uuidV4(): string {
  return crypto.randomUUID();
}

/** UUIDv7 (time-ordered), as distribution 3.1+ makes them. */
export function uuidV7Generator(now: () => number): IdGenerator {
  return () => {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    let ms = now();
    for (let i = 5; i >= 0; i--) {
      bytes[i] = ms % 256;
      ms = Math.floor(ms / 256);
    }
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
    return format(bytes);
  };
}

/**
 * Deterministic ids for snapshot tests: well-formed UUIDs (version nibble 4 or 7) that count up
 * from 1, so the n-th id of a run is the same every run.
 */
export function sequentialIds(version: 4 | 7 = 4): IdGenerator {
  let counter = 0;
  return () => {
    counter += 1;
    const bytes = new Uint8Array(16);
    let n = counter;
    for (let i = 15; i >= 10 && n > 0; i--) {
      bytes[i] = n % 256;
      n = Math.floor(n / 256);
    }
    bytes[6] = version << 4;
    bytes[8] = 0x80;
    return format(bytes);
  };
}
