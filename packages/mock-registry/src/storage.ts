import { RegistryState } from './handlers/state.js';

/**
 * Where blob bytes live. Like distribution's storage drivers, a driver only moves bytes; the
 * registry logic (repositories, tags, links, digest checks) stays above it. Manifests are
 * stored as blobs too, as the registry does.
 */
export interface StorageDriver {
  /** Opens an empty upload session. */
  createUpload(id: string): Promise<void>;
  /** Appends bytes to an open upload. The driver may keep `chunk` itself: callers never reuse it. */
  appendUpload(id: string, chunk: Uint8Array): Promise<void>;
  /** Makes the upload's bytes the blob `digest` (already verified by the caller) and closes the session. */
  commitUpload(id: string, digest: string): Promise<void>;
  cancelUpload(id: string): Promise<void>;
  /** Size of a stored blob, or undefined when absent. */
  blobSize(digest: string): Promise<number | undefined>;
  /** The bytes `[start, end)` of a stored blob (the whole blob by default). */
  readBlob(digest: string, range?: { start: number; end: number }): Promise<ReadableStream<Uint8Array>>;
  /** Drops everything (uploads, blobs and repositories). */
  clear(): Promise<void>;
  /**
   * The repositories written over this driver (blob links, manifests, tags), which distribution keeps
   * under `repositories/` beside the blobs. A registry created over a driver that has them finds what
   * an earlier registry left there, as a restarted registry finds its filesystem; without them, each
   * registry keeps its repositories to itself.
   */
  readonly repositories?: RegistryState;
}

interface StoredBlob {
  chunks: Uint8Array[];
  size: number;
}

/**
 * Keeps the received chunks as they are: an upload becomes a blob without concatenation, so
 * memory stays close to the bytes stored. A chunk that is a small view into a much larger buffer
 * is copied on its own, so the large buffer can be freed.
 */
export class MemoryStorage implements StorageDriver {
  readonly repositories = new RegistryState();
  readonly #uploads = new Map<string, StoredBlob>();
  readonly #blobs = new Map<string, StoredBlob>();

  async createUpload(id: string): Promise<void> {
    this.#uploads.set(id, { chunks: [], size: 0 });
  }

  async appendUpload(id: string, chunk: Uint8Array): Promise<void> {
    const upload = this.#uploads.get(id);
    if (!upload) throw new Error(`no upload ${id}`);
    if (chunk.byteLength === 0) return;
    upload.chunks.push(chunk.buffer.byteLength > chunk.byteLength * 2 ? chunk.slice() : chunk);
    upload.size += chunk.byteLength;
  }

  async commitUpload(id: string, digest: string): Promise<void> {
    const upload = this.#uploads.get(id);
    if (!upload) throw new Error(`no upload ${id}`);
    this.#uploads.delete(id);
    if (!this.#blobs.has(digest)) this.#blobs.set(digest, upload);
  }

  async cancelUpload(id: string): Promise<void> {
    this.#uploads.delete(id);
  }

  async blobSize(digest: string): Promise<number | undefined> {
    return this.#blobs.get(digest)?.size;
  }

  async readBlob(digest: string, range?: { start: number; end: number }): Promise<ReadableStream<Uint8Array>> {
    const blob = this.#blobs.get(digest);
    if (!blob) throw new Error(`no blob ${digest}`);
    const start = range?.start ?? 0;
    const end = range?.end ?? blob.size;
    const views: Uint8Array[] = [];
    let offset = 0;
    for (const chunk of blob.chunks) {
      const chunkEnd = offset + chunk.byteLength;
      if (chunkEnd > start && offset < end) {
        views.push(chunk.subarray(Math.max(0, start - offset), Math.min(chunk.byteLength, end - offset)));
      }
      offset = chunkEnd;
    }
    let index = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        const view = views[index++];
        if (view) controller.enqueue(view);
        else controller.close();
      },
    });
  }

  async clear(): Promise<void> {
    this.#uploads.clear();
    this.#blobs.clear();
    this.repositories.clear();
  }
}
