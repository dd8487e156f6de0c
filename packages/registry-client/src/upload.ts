import { encodePath, type CallOptions, type ClientContext } from './context.js';
import { ConnectionError, IntegrityError, RegistryClientError, RegistryError } from './errors.js';
import { assertDigest, assertRepository } from './reference.js';
import { pauseBeforeRetry, retryPauseMs } from './sleep.js';

/** Blob content to upload: bytes in memory, a `Blob` (a file on Node: `openAsBlob`), or a stream read once. */
export type BlobSource = Uint8Array | Blob | ReadableStream<Uint8Array>;

/** A source, or a function that opens one only when the bytes are needed (not at all when a mount succeeds). */
export type LazyBlobSource = BlobSource | (() => Promise<BlobSource>);

export interface PushBlobOptions extends CallOptions {
  /** The blob's digest; without it the upload is chunked and the digest computed on the way. */
  digest?: string;
  /** Upload in PATCH chunks of this many bytes (resumable from the server's `Range`) instead of one PUT. */
  chunkSize?: number;
  /** The blob's size, when known: sent as Content-Length, so a streamed PUT needs no chunked encoding. */
  size?: number;
  /** Try a cross-repository mount from this repository first; on refusal the bytes are uploaded. */
  mountFrom?: string;
  /** Told the bytes sent so far. */
  onProgress?: (bytesSent: number) => void;
}

export interface PushBlobResult {
  digest: string;
  size: number;
  /** True when the registry mounted the blob from `mountFrom` (nothing was uploaded). */
  mounted: boolean;
}

const OCTET_STREAM = { 'Content-Type': 'application/octet-stream' };

function uploadsPath(repository: string): string {
  assertRepository(repository);
  return `${encodePath(repository)}/blobs/uploads/`;
}

function locationOf(response: Response, context: ClientContext): URL {
  const location = response.headers.get('location');
  if (!location) throw new RegistryClientError(`the registry answered ${response.status} to an upload without a Location`);
  return context.transport.resolve(location);
}

/** Adds `digest=` to an upload location, keeping its `_state` exactly as the registry wrote it. */
function withDigest(location: URL, digest: string): string {
  const text = location.toString();
  return `${text}${location.search ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
}

async function startUpload(context: ClientContext, repository: string, mount: { digest: string; from: string } | undefined, options: CallOptions): Promise<URL | 'mounted'> {
  let url = uploadsPath(repository);
  if (mount) {
    assertRepository(mount.from);
    url += `?mount=${encodeURIComponent(mount.digest)}&from=${encodeURIComponent(mount.from)}`;
  }
  const response = await context.transport.send({ method: 'POST', url, ok: [201, 202], signal: options.signal });
  await response.body?.cancel();
  // A refused mount answers 202 with a fresh upload session (2.8.2): the upload goes there.
  if (response.status === 201 && mount) return 'mounted';
  return locationOf(response, context);
}

async function cancelSource(source: BlobSource): Promise<void> {
  if (source instanceof ReadableStream) await source.cancel();
}

function streamOf(source: BlobSource): ReadableStream<Uint8Array> {
  if (source instanceof ReadableStream) return source;
  if (source instanceof Blob) return source.stream();
  return new ReadableStream({
    start(controller) {
      controller.enqueue(source);
      controller.close();
    },
  });
}

function checkStored(response: Response, digest: string): void {
  const stored = response.headers.get('docker-content-digest');
  if (stored && stored !== digest) throw new IntegrityError(`blob upload: Docker-Content-Digest`, digest, stored);
}

async function putWhole(context: ClientContext, location: URL, source: BlobSource, digest: string, options: PushBlobOptions): Promise<number> {
  let size = source instanceof Uint8Array ? source.byteLength : source instanceof Blob ? source.size : 0;
  const headers: Record<string, string> = source instanceof ReadableStream && options.size !== undefined ? { ...OCTET_STREAM, 'Content-Length': String(options.size) } : OCTET_STREAM;
  const onBodyProgress = (total: number) => {
    size = total;
    options.onProgress?.(total);
  };
  const response = await context.transport.send({ method: 'PUT', url: withDigest(location, digest), headers, body: source, ok: [201], signal: options.signal, onBodyProgress });
  await response.body?.cancel();
  checkStored(response, digest);
  if (!(source instanceof ReadableStream)) options.onProgress?.(size);
  return size;
}

/** Yields the stream's bytes in pieces of exactly `size` (the last may be shorter), holding one piece at a time. */
async function* chunksOf(stream: ReadableStream<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let buffer = new Uint8Array(size);
  let filled = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let offset = 0;
      while (offset < value.byteLength) {
        const take = Math.min(size - filled, value.byteLength - offset);
        buffer.set(value.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === size) {
          yield buffer;
          buffer = new Uint8Array(size);
          filled = 0;
        }
      }
    }
    if (filled > 0) yield buffer.subarray(0, filled);
  } finally {
    reader.releaseLock();
  }
}

/** Where the server's upload ends, from `Range: 0-<last>` (`0-0` is read as empty, as distribution writes it for both 0 and 1 byte). */
function serverOffset(response: Response): number | undefined {
  const match = /^0-(\d+)$/.exec(response.headers.get('range') ?? '');
  if (!match) return undefined;
  const last = Number(match[1]);
  return last === 0 ? 0 : last + 1;
}

/** PATCHes one chunk at `start`; after a failure asks the upload's status and resends what the server lacks. */
async function patchChunk(context: ClientContext, location: URL, chunk: Uint8Array, start: number, options: CallOptions): Promise<URL> {
  let offset = start;
  for (let attempt = 0; ; attempt++) {
    const piece = chunk.subarray(offset - start);
    try {
      const response = await context.transport.send({
        method: 'PATCH',
        url: location,
        headers: { ...OCTET_STREAM, 'Content-Range': `${offset}-${offset + piece.byteLength - 1}` },
        body: piece,
        ok: [202],
        signal: options.signal,
      });
      await response.body?.cancel();
      return locationOf(response, context);
    } catch (error) {
      const transient = error instanceof ConnectionError || (error instanceof RegistryError && (error.status >= 500 || error.status === 416 || error.status === 429));
      if (options.signal?.aborted || !transient || attempt >= context.resumeAttempts) throw error;
      await pauseBeforeRetry(retryPauseMs(attempt), options.signal);
      const status = await context.transport.send({ method: 'GET', url: location, ok: [204], signal: options.signal });
      await status.body?.cancel();
      const resumeAt = serverOffset(status);
      if (resumeAt === undefined || resumeAt < start || resumeAt > start + chunk.byteLength) {
        throw new RegistryClientError(`cannot resume the upload: the server holds ${resumeAt ?? 'an unknown number of'} bytes, this chunk covers ${start}-${start + chunk.byteLength - 1}`, { cause: error });
      }
      if (status.headers.has('location')) location = locationOf(status, context);
      if (resumeAt === start + chunk.byteLength) return location;
      offset = resumeAt;
    }
  }
}

async function putChunked(context: ClientContext, location: URL, source: BlobSource, options: PushBlobOptions): Promise<{ digest: string; size: number }> {
  const hash = options.digest ? undefined : context.sha256();
  let offset = 0;
  for await (const chunk of chunksOf(streamOf(source), options.chunkSize ?? context.chunkSize)) {
    hash?.update(chunk);
    location = await patchChunk(context, location, chunk, offset, options);
    offset += chunk.byteLength;
    options.onProgress?.(offset);
  }
  const digest = options.digest ?? `sha256:${hash?.digestHex() ?? ''}`;
  const response = await context.transport.send({ method: 'PUT', url: withDigest(location, digest), headers: OCTET_STREAM, ok: [201], signal: options.signal });
  await response.body?.cancel();
  checkStored(response, digest);
  return { digest, size: offset };
}

/**
 * Uploads a blob: mounted from `mountFrom` when the registry can, else in one streamed PUT
 * (POST then PUT, as distribution expects), or in PATCH chunks when `chunkSize` is set or the
 * digest is not known yet.
 */
export async function pushBlob(context: ClientContext, repository: string, lazySource: LazyBlobSource, options: PushBlobOptions = {}): Promise<PushBlobResult> {
  if (options.digest) assertDigest(options.digest);
  const mount = options.mountFrom && options.digest ? { digest: options.digest, from: options.mountFrom } : undefined;
  const session = await startUpload(context, repository, mount, options).catch(async (error: unknown) => {
    if (typeof lazySource !== 'function') await cancelSource(lazySource).catch(() => undefined);
    throw error;
  });
  if (session === 'mounted') {
    if (typeof lazySource !== 'function') await cancelSource(lazySource);
    const size = lazySource instanceof Uint8Array ? lazySource.byteLength : lazySource instanceof Blob ? lazySource.size : Number.NaN;
    return { digest: options.digest as string, size, mounted: true };
  }
  const source = typeof lazySource === 'function' ? await lazySource() : lazySource;
  if (options.chunkSize === undefined && options.digest) {
    return { digest: options.digest, size: await putWhole(context, session, source, options.digest, options), mounted: false };
  }
  return { ...(await putChunked(context, session, source, options)), mounted: false };
}

/** Mounts a blob from another repository of the same registry; false (and the opened session cancelled) when the registry will not. */
export async function mountBlob(context: ClientContext, repository: string, digest: string, fromRepository: string, options: CallOptions = {}): Promise<boolean> {
  assertDigest(digest);
  const session = await startUpload(context, repository, { digest, from: fromRepository }, options);
  if (session === 'mounted') return true;
  // Cancelling the unused session is a courtesy: it needs `delete` access, which a pusher may lack.
  const cancel = await context.transport.send({ method: 'DELETE', url: session, ok: [204, 200, 202, 404], signal: options.signal }).catch(() => undefined);
  await cancel?.body?.cancel();
  return false;
}
