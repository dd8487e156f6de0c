import { encodePath, type CallOptions, type ClientContext } from './context.js';
import { verifyingStream } from './digest.js';
import { IntegrityError, UnsupportedError } from './errors.js';
import { unsupportedDelete } from './manifests.js';
import { assertDigest, assertRepository } from './reference.js';

export interface BlobInfo {
  digest: string;
  size: number;
}

function blobPath(repository: string, digest: string): string {
  assertRepository(repository);
  assertDigest(digest);
  return `${encodePath(repository)}/blobs/${digest}`;
}

/** HEAD a blob: its size, or undefined when the repository does not have it. */
export async function headBlob(context: ClientContext, repository: string, digest: string, options: CallOptions = {}): Promise<BlobInfo | undefined> {
  const response = await context.transport.send({ method: 'HEAD', url: blobPath(repository, digest), ok: [200, 404], signal: options.signal });
  if (response.status === 404) return undefined;
  const header = response.headers.get('docker-content-digest');
  if (header && header !== digest) throw new IntegrityError(`blob ${digest}: Docker-Content-Digest`, digest, header);
  return { digest, size: Number(response.headers.get('content-length') ?? Number.NaN) };
}

export interface GetBlobOptions extends CallOptions {
  /** Bytes `start` to `end` (inclusive), as HTTP `Range` counts; a range is not verified (it cannot be). */
  range?: { start: number; end?: number };
  /** The size the descriptor promises: a body of another length is an `IntegrityError`. */
  size?: number;
  /**
   * Hash the bytes as they flow (default true; the size is checked either way). `copy` turns it
   * off: the target registry hashes every byte it is sent and refuses a digest mismatch, so
   * hashing here too only doubles the CPU.
   */
  verify?: boolean;
}

export interface BlobStream extends BlobInfo {
  /** The bytes; a whole blob errors at its end if the digest or length is wrong. */
  body: ReadableStream<Uint8Array>;
}

/** GET a blob as a stream, verified as it flows (or a byte range of it, unverified). */
export async function getBlob(context: ClientContext, repository: string, digest: string, options: GetBlobOptions = {}): Promise<BlobStream> {
  const range = options.range;
  const headers: Record<string, string> = range ? { Range: `bytes=${range.start}-${range.end ?? ''}` } : {};
  const response = await context.transport.send({ method: 'GET', url: blobPath(repository, digest), headers, ok: range ? [206, 200] : [200], signal: options.signal });
  const body = response.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  if (range) {
    if (response.status !== 206) {
      await body.cancel();
      throw new UnsupportedError('blob range request', 'the registry answered 200 with the whole blob');
    }
    return { digest, size: length, body };
  }
  const size = options.size ?? (Number.isSafeInteger(length) ? length : undefined);
  const hash = options.verify === false ? undefined : context.sha256;
  return { digest, size: size ?? Number.NaN, body: body.pipeThrough(verifyingStream(`blob ${digest}`, { digest, size }, hash)) };
}

/** DELETE a blob from a repository (its link; the bytes go with garbage collection). */
export async function deleteBlob(context: ClientContext, repository: string, digest: string, options: CallOptions = {}): Promise<void> {
  const response = await context.transport
    .send({ method: 'DELETE', url: blobPath(repository, digest), ok: [202, 200], signal: options.signal })
    .catch((error: unknown) => unsupportedDelete(error, 'blob delete'));
  await response.body?.cancel();
}
