import { createReadStream } from 'node:fs';
import { appendFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { RegistryState } from '../handlers/state.js';
import type { StorageDriver } from '../storage.js';

/**
 * Keeps uploads and blobs on disk, laid out like distribution's filesystem driver
 * (`blobs/sha256/<2 hex>/<hex>/data`); upload sessions are files appended to in place. The
 * repositories (links, tags) stay in memory with this object: a registry created again over it
 * finds them, a new `FileSystemStorage` over the same directory finds only the blobs.
 */
export class FileSystemStorage implements StorageDriver {
  readonly repositories = new RegistryState();
  readonly #root: string;

  constructor(rootDirectory: string) {
    this.#root = rootDirectory;
  }

  #uploadPath(id: string): string {
    if (!/^[\w-]+$/.test(id)) throw new Error(`invalid upload id ${id}`);
    return join(this.#root, 'uploads', id);
  }

  #blobPath(digest: string): string {
    const hex = digest.slice('sha256:'.length);
    return join(this.#root, 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
  }

  async createUpload(id: string): Promise<void> {
    await mkdir(join(this.#root, 'uploads'), { recursive: true });
    await writeFile(this.#uploadPath(id), new Uint8Array(0));
  }

  async appendUpload(id: string, chunk: Uint8Array): Promise<void> {
    await appendFile(this.#uploadPath(id), chunk);
  }

  async commitUpload(id: string, digest: string): Promise<void> {
    const target = this.#blobPath(digest);
    await mkdir(join(target, '..'), { recursive: true });
    await rename(this.#uploadPath(id), target);
  }

  async cancelUpload(id: string): Promise<void> {
    await rm(this.#uploadPath(id), { force: true });
  }

  async blobSize(digest: string): Promise<number | undefined> {
    try {
      return (await stat(this.#blobPath(digest))).size;
    } catch {
      return undefined;
    }
  }

  async readBlob(digest: string, range?: { start: number; end: number }): Promise<ReadableStream<Uint8Array>> {
    const stream = createReadStream(this.#blobPath(digest), range ? { start: range.start, end: range.end - 1 } : {});
    return Readable.toWeb(stream) as ReadableStream<Uint8Array>;
  }

  async clear(): Promise<void> {
    await rm(this.#root, { recursive: true, force: true });
    this.repositories.clear();
  }
}
