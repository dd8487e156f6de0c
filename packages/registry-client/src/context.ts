import type { HashFactory } from './digest.js';
import type { Transport } from './transport.js';

export interface Limits {
  /** Largest manifest accepted (default 4 MiB, distribution's own limit). */
  manifestBytes: number;
  /** Largest tags or catalog page accepted (default 32 MiB). */
  pageBytes: number;
  /** Most pages one listing follows (default 10 000). */
  pages: number;
}

/** What every operation needs: how to send requests, how to hash streams, and the client's bounds. */
export interface ClientContext {
  transport: Transport;
  sha256: HashFactory;
  limits: Limits;
  /** Chunk size of chunked uploads, in bytes. */
  chunkSize: number;
  /** Attempts at resuming a chunked upload from the server's `Range`. */
  resumeAttempts: number;
}

/** Options every operation takes. */
export interface CallOptions {
  signal?: AbortSignal | undefined;
}

export function encodePath(repository: string): string {
  // Repository names are checked against the grammar first, so only the reference needs escaping.
  return `/v2/${repository}`;
}
