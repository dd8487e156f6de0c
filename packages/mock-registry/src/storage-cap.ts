import { RegistryError } from './errors.js';
import type { StorageDriver } from './storage.js';

/** Thrown by a capped storage when a write would pass its limit; the registry answers it as 403 DENIED. */
export class StorageFullError extends RegistryError {
  constructor(limit: number) {
    super('DENIED', { message: `storage limit of ${limit} bytes reached`, detail: { limit } });
    this.name = 'StorageFullError';
  }
}

/**
 * A storage driver with a byte cap on what it holds: blobs plus uploads in progress. Bytes are
 * counted as they arrive, so a write that would pass the cap fails before it is stored. A
 * cancelled upload, or one committed as a blob the store already had, gives its bytes back.
 */
export class ByteCappedStorage implements StorageDriver {
  readonly #inner: StorageDriver;
  readonly #limit: number;
  readonly #uploads = new Map<string, number>();
  #used = 0;

  constructor(inner: StorageDriver, limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new TypeError(`maxStorageBytes must be a non-negative integer, not ${limit}`);
    this.#inner = inner;
    this.#limit = limit;
  }

  get repositories(): StorageDriver['repositories'] {
    return this.#inner.repositories;
  }

  /** Bytes held: stored blobs and uploads in progress. */
  get used(): number {
    return this.#used;
  }

  async createUpload(id: string): Promise<void> {
    await this.#inner.createUpload(id);
    this.#uploads.set(id, 0);
  }

  async appendUpload(id: string, chunk: Uint8Array): Promise<void> {
    if (this.#used + chunk.byteLength > this.#limit) throw new StorageFullError(this.#limit);
    this.#used += chunk.byteLength;
    this.#uploads.set(id, (this.#uploads.get(id) ?? 0) + chunk.byteLength);
    await this.#inner.appendUpload(id, chunk);
  }

  async commitUpload(id: string, digest: string): Promise<void> {
    const known = (await this.#inner.blobSize(digest)) !== undefined;
    await this.#inner.commitUpload(id, digest);
    const size = this.#uploads.get(id) ?? 0;
    this.#uploads.delete(id);
    if (known) this.#used -= size;
  }

  async cancelUpload(id: string): Promise<void> {
    await this.#inner.cancelUpload(id);
    this.#used -= this.#uploads.get(id) ?? 0;
    this.#uploads.delete(id);
  }

  blobSize(digest: string): Promise<number | undefined> {
    return this.#inner.blobSize(digest);
  }

  readBlob(digest: string, range?: { start: number; end: number }): Promise<ReadableStream<Uint8Array>> {
    return this.#inner.readBlob(digest, range);
  }

  async clear(): Promise<void> {
    await this.#inner.clear();
    this.#uploads.clear();
    this.#used = 0;
  }
}
