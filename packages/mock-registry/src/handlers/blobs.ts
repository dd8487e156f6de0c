import { BLOB_MEDIA_TYPE } from '@regevents/types';
import { isDigest } from '../digest.js';
import { RegistryError } from '../errors.js';
import type { TargetFacts } from '../event-format.js';
import { blobUrl, empty, type HandlerDependencies, type RequestContext } from './context.js';

/** An event target for a blob: stored blobs report `application/octet-stream`, as distribution's do. */
export function blobFacts(context: RequestContext, name: string, digest: string, size: number): TargetFacts {
  return { mediaType: BLOB_MEDIA_TYPE, size, digest, repository: name, url: blobUrl(context, name, digest) };
}

/** The size of a blob linked into the repository, or undefined. */
export async function linkedBlobSize(deps: HandlerDependencies, name: string, digest: string): Promise<number | undefined> {
  if (!deps.state.get(name)?.blobs.has(digest)) return undefined;
  return deps.storage.blobSize(digest);
}

function parseRange(header: string | null, size: number): { start: number; end: number } | undefined | 'invalid' {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return 'invalid';
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 ? 'invalid' : { start: Math.max(0, size - suffix), end: size };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size : Math.min(size, Number(match[2]) + 1);
  return start >= size || end <= start ? 'invalid' : { start, end };
}

/** `/v2/<name>/blobs/<digest>`: GET (with `Range`), HEAD and DELETE. */
export async function blobs(deps: HandlerDependencies, context: RequestContext, name: string, digest: string): Promise<Response> {
  if (!isDigest(digest)) throw new RegistryError('DIGEST_INVALID', { detail: {} });
  if (context.request.method === 'DELETE') {
    if (!deps.deleteEnabled) throw new RegistryError('UNSUPPORTED');
    if (!deps.state.get(name)?.blobs.delete(digest)) throw new RegistryError('BLOB_UNKNOWN');
    deps.emit('delete', { digest, repository: name }, context);
    return empty(202, {});
  }
  const size = await linkedBlobSize(deps, name, digest);
  if (size === undefined) throw new RegistryError('BLOB_UNKNOWN', { detail: digest });
  const range = parseRange(context.request.headers.get('range'), size);
  // 2.8.2 sends this 416 with a Content-Length its body does not have; clients cannot rely on that.
  if (range === 'invalid') return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}` } });
  deps.emit('pull', blobFacts(context, name, digest, size), context);
  const headers: Record<string, string> = {
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'max-age=31536000',
    'Content-Type': BLOB_MEDIA_TYPE,
    'Docker-Content-Digest': digest,
    Etag: `"${digest}"`,
    'Content-Length': String(range ? range.end - range.start : size),
  };
  if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end - 1}/${size}`;
  const status = range ? 206 : 200;
  if (context.request.method === 'HEAD') return new Response(null, { status, headers });
  return new Response(await deps.storage.readBlob(digest, range), { status, headers });
}
