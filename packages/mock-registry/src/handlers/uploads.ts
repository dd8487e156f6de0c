import { DigestAccumulator, isDigest } from '../digest.js';
import { RegistryError } from '../errors.js';
import { StorageFullError } from '../storage-cap.js';
import type { UploadSessions } from '../upload-sessions.js';
import { blobFacts, linkedBlobSize } from './blobs.js';
import { blobUrl, empty, type HandlerDependencies, type RequestContext } from './context.js';

export interface Upload {
  repository: string;
  hash: DigestAccumulator;
}

/** What an upload Location's `_state` carries (distribution signs it; the mock only reads it back). */
interface UploadState {
  Name: string;
  UUID: string;
  Offset: number;
}

function packState(state: UploadState): string {
  return btoa(JSON.stringify(state)).replace(/\+/g, '-').replace(/\//g, '_');
}

function unpackState(token: string | null): UploadState | undefined {
  try {
    const state = JSON.parse(atob((token ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as Partial<UploadState>;
    return typeof state.Name === 'string' && typeof state.UUID === 'string' && typeof state.Offset === 'number' ? (state as UploadState) : undefined;
  } catch {
    return undefined;
  }
}

function uploadHeaders(context: RequestContext, name: string, id: string, upload: Upload): Record<string, string> {
  const state = packState({ Name: name, UUID: id, Offset: upload.hash.size });
  return {
    Location: `${context.base}/v2/${name}/blobs/uploads/${id}?_state=${encodeURIComponent(state)}`,
    Range: `0-${Math.max(upload.hash.size - 1, 0)}`,
    'Docker-Upload-UUID': id,
  };
}

/** Upload routes: `POST /blobs/uploads/` (start, mount, monolithic) and `/blobs/uploads/<id>` (status, PATCH, PUT, DELETE). */
export class UploadHandlers {
  readonly #deps: HandlerDependencies;
  readonly #sessions: UploadSessions<Upload>;

  constructor(deps: HandlerDependencies, sessions: UploadSessions<Upload>) {
    this.#deps = deps;
    this.#sessions = sessions;
  }

  /** `POST /v2/<name>/blobs/uploads/`. A mount that cannot happen (unknown blob, malformed digest) starts an upload instead, as distribution does. */
  async start(context: RequestContext, name: string): Promise<Response> {
    const params = context.url.searchParams;
    const mount = params.get('mount');
    const from = params.get('from');
    if (mount && from && isDigest(mount)) {
      const size = await linkedBlobSize(this.#deps, from, mount);
      if (size !== undefined) {
        this.#deps.state.getOrCreate(name).linkBlob(mount);
        this.#deps.emit('mount', { ...blobFacts(context, name, mount, size), fromRepository: from }, context);
        return empty(201, { Location: blobUrl(context, name, mount), 'Docker-Content-Digest': mount });
      }
    }
    // the repository's directory exists from here on (`_uploads/`), which the catalog's walk sees
    this.#deps.state.getOrCreate(name);
    const id = this.#deps.newId();
    const upload: Upload = { repository: name, hash: new DigestAccumulator(this.#deps.sha256) };
    await this.#deps.storage.createUpload(id);
    await this.#sessions.open(id, upload);
    const digest = params.get('digest');
    if (digest !== null && !mount && this.#deps.behaviour.uploads.monolithicPost) {
      await this.#receive(context.request, id, upload);
      return this.#commit(context, name, id, upload, digest);
    }
    return empty(202, uploadHeaders(context, name, id, upload));
  }

  /** The session a `_state` names, checked as distribution checks it before any method runs. */
  async #resume(context: RequestContext, name: string, id: string): Promise<Upload> {
    const state = unpackState(context.url.searchParams.get('_state'));
    if (!state) throw new RegistryError('BLOB_UPLOAD_INVALID', { detail: {} });
    if (state.Name !== name || state.UUID !== id) throw new RegistryError('BLOB_UPLOAD_INVALID');
    const upload = await this.#sessions.use(id);
    if (!upload || upload.repository !== name) throw new RegistryError('BLOB_UPLOAD_UNKNOWN', { detail: {} });
    const { staleState } = this.#deps.behaviour.uploads;
    if (upload.hash.size !== state.Offset && staleState !== 'ignored') throw new RegistryError(staleState);
    return upload;
  }

  /** `/v2/<name>/blobs/uploads/<id>`. */
  async session(context: RequestContext, name: string, id: string): Promise<Response> {
    const upload = await this.#resume(context, name, id);
    switch (context.request.method) {
      case 'GET':
      case 'HEAD':
        return empty(204, uploadHeaders(context, name, id, upload));
      case 'DELETE':
        this.#sessions.close(id);
        await this.#deps.storage.cancelUpload(id);
        return empty(204, { 'Docker-Upload-UUID': id });
      case 'PATCH':
        return this.#patch(context, name, id, upload);
      case 'POST':
        return this.start(context, name);
      default:
        return this.#put(context, name, id, upload);
    }
  }

  async #patch(context: RequestContext, name: string, id: string, upload: Upload): Promise<Response> {
    const headers = context.request.headers;
    const contentType = headers.get('content-type');
    if (contentType && contentType !== 'application/octet-stream') throw new RegistryError('UNKNOWN', { detail: {} });
    const contentRange = headers.get('content-range');
    const contentLength = headers.get('content-length');
    // 3.x checks only when Content-Length is sent too, which every client on a socket does; a
    // Request handed over in process (MSW, handle()) carries none, so the range is checked alone.
    if (this.#deps.behaviour.uploads.checkContentRange && contentRange) {
      const range = /^(?:bytes[ =])?(\d+)-(\d+)$/.exec(contentRange.trim());
      if (!range) throw new RegistryError('UNKNOWN', { detail: `invalid content range format, ${contentRange}` });
      const [start, end] = [Number(range[1]), Number(range[2])];
      if (start > end || start !== upload.hash.size) throw new RegistryError('RANGE_INVALID');
      if (contentLength !== null && Number(contentLength) !== end - start + 1) throw new RegistryError('SIZE_INVALID');
    }
    await this.#receive(context.request, id, upload);
    return empty(202, uploadHeaders(context, name, id, upload));
  }

  async #put(context: RequestContext, name: string, id: string, upload: Upload): Promise<Response> {
    const expected = context.url.searchParams.get('digest');
    if (!expected) throw new RegistryError('DIGEST_INVALID', { detail: 'digest missing' });
    if (!isDigest(expected)) throw new RegistryError('DIGEST_INVALID', { detail: 'digest parsing failed' });
    // The body is part of the upload before the digest is checked: after a mismatch the session
    // stays open with those bytes, and a Location issued before them is stale.
    await this.#receive(context.request, id, upload);
    return this.#commit(context, name, id, upload, expected);
  }

  async #commit(context: RequestContext, name: string, id: string, upload: Upload, expected: string): Promise<Response> {
    const actual = upload.hash.digest();
    if (expected !== actual) throw new RegistryError('DIGEST_INVALID', { detail: { Digest: expected, Reason: {} } });
    this.#sessions.close(id);
    await this.#deps.storage.commitUpload(id, actual);
    this.#deps.state.getOrCreate(name).linkBlob(actual);
    this.#deps.emit('push', blobFacts(context, name, actual, upload.hash.size), context);
    return empty(201, { Location: blobUrl(context, name, actual), 'Docker-Content-Digest': actual });
  }

  /** Streams the request body into the upload, hashing as it goes (no whole-body buffer). */
  async #receive(request: Request, id: string, upload: Upload): Promise<void> {
    if (!request.body) return;
    const reader = request.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        upload.hash.update(value);
        await this.#deps.storage.appendUpload(id, value);
      }
    } catch (error) {
      // A full store ends the session, so its bytes are given back at once.
      if (error instanceof StorageFullError) {
        await reader.cancel().catch(() => undefined);
        this.#sessions.close(id);
        await this.#deps.storage.cancelUpload(id);
      }
      throw error;
    }
  }
}
