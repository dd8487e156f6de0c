import type { Descriptor, EventAction, RequestRecord } from '@regevents/types';
import { BLOB_MEDIA_TYPE, OCI_IMAGE_INDEX, OCI_IMAGE_MANIFEST } from '@regevents/types';
import type { ClientAllowlist, Identity, Scope } from './access.js';
import type { AuthGate } from './auth-gate.js';
import { readManifestBody } from './body.js';
import { DigestAccumulator, digestOf, isDigest, type HashFactory } from './digest.js';
import { RegistryError } from './errors.js';
import type { Flavor, TargetFacts } from './event-format.js';
import { recordedAddr, type Forwarding } from './forwarding.js';
import { goEncode } from './go-json.js';
import type { IdGenerator } from './ids.js';
import { parseManifest, type ManifestRecord } from './manifests.js';
import { isTag, matchRoute, type Route } from './routes.js';
import type { StorageDriver } from './storage.js';
import { StorageFullError } from './storage-cap.js';
import { UploadSessions } from './upload-sessions.js';

/** Everything the registry knows about one repository besides the bytes. */
export class Repository {
  /** Blobs linked into the repository (pushed or mounted). */
  readonly blobs = new Set<string>();
  readonly manifests = new Map<string, ManifestRecord>();
  readonly tags = new Map<string, string>();
}

interface Upload {
  repository: string;
  hash: DigestAccumulator;
}

/** The request as events record it, plus what the handlers need to answer it. */
export interface RequestContext {
  request: Request;
  url: URL;
  /** Scheme and host the client used (X-Forwarded-Proto/-Host only from a trusted proxy), for URLs in answers and events. */
  base: string;
  record: RequestRecord;
  identity: Identity;
}

export interface ApiDependencies {
  storage: StorageDriver;
  flavor: Flavor;
  deleteEnabled: boolean;
  includeReferences: boolean;
  /** Fixed base for URLs in events and Location headers, like the registry's `http.host`. */
  httpHost?: string;
  newId: IdGenerator;
  /** The registry's clock, for upload expiry. */
  now: () => number;
  /** Idle time after which an upload session is purged. */
  uploadExpiryMs: number;
  sha256: HashFactory;
  gate: AuthGate;
  allowlist: ClientAllowlist;
  forwarding: Forwarding;
  emit(action: EventAction, target: TargetFacts, context: RequestContext): void;
}

const API_VERSION = { 'Docker-Distribution-API-Version': 'registry/2.0' };
const JSON_TYPE = 'application/json; charset=utf-8';

function json(value: unknown, status = 200, headers: HeadersInit = {}): Response {
  const out = new Headers(headers);
  out.set('Content-Type', JSON_TYPE);
  return new Response(goEncode(value), { status, headers: out });
}

function empty(status: number, headers: Record<string, string>): Response {
  return new Response(null, { status, headers: { 'Content-Length': '0', ...headers } });
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

function acceptedTypes(request: Request): Set<string> {
  const types = new Set<string>();
  for (const part of (request.headers.get('accept') ?? '').split(',')) {
    const type = part.split(';')[0]?.trim().toLowerCase();
    if (type) types.add(type);
  }
  return types;
}

/**
 * The registry API (OCI distribution spec 1.1 / Docker registry v2) over web-standard Request
 * and Response, with the status codes, headers and error bodies distribution 2.8 answers, and
 * one notification per action exactly where distribution emits it.
 */
export class RegistryApi {
  readonly repositories = new Map<string, Repository>();
  readonly #uploads: UploadSessions<Upload>;
  readonly #deps: ApiDependencies;

  constructor(deps: ApiDependencies) {
    this.#deps = deps;
    this.#uploads = new UploadSessions(deps.storage, deps.now, deps.uploadExpiryMs);
  }


  /** Forgets every repository, upload and stored byte. */
  async reset(): Promise<void> {
    this.repositories.clear();
    this.#uploads.clear();
    await this.#deps.storage.clear();
  }

  async handle(request: Request, peer: string): Promise<Response> {
    const response = await this.#dispatch(request, peer).catch((error: unknown) => {
      if (error instanceof RegistryError) return error.toResponse();
      return new RegistryError('UNKNOWN', { detail: error instanceof Error ? error.message : String(error) }).toResponse();
    });
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(API_VERSION)) headers.set(name, value);
    // Go's server gives a small body written in one go its Content-Length (a HEAD too, though it sends no body);
    // blobs and manifests set theirs before they stream.
    let body: BodyInit | null = response.body;
    if (body && !headers.has('content-length')) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      headers.set('Content-Length', String(bytes.byteLength));
      body = bytes;
    }
    return new Response(request.method === 'HEAD' ? null : body, { status: response.status, headers });
  }

  /** The allowlist and auth checks every API request passes (and `/debug/vars`, which needs no scope). */
  async admit(request: Request, peer: string, scopes: Scope[]): Promise<{ addr: string; base: string; identity: Identity }> {
    this.#deps.allowlist.check(this.#deps.forwarding.client(request, peer), peer);
    const addr = recordedAddr(request, peer);
    const base = this.#deps.httpHost ? this.#deps.httpHost.replace(/\/$/, '') : this.#deps.forwarding.base(request, peer);
    const identity = await this.#deps.gate.authorize(request, base, scopes);
    return { addr, base, identity };
  }

  async #dispatch(request: Request, peer: string): Promise<Response> {
    const url = new URL(request.url);
    const route = matchRoute(url.pathname);
    if (!route) return new Response('404 page not found\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
    const { addr, base, identity } = await this.admit(request, peer, this.#scopes(route, request, url));
    const record: RequestRecord = {
      id: this.#deps.newId(),
      addr,
      host: request.headers.get('host') ?? url.host,
      method: request.method,
      useragent: request.headers.get('user-agent') ?? '',
    };
    const context: RequestContext = { request, url, base, record, identity };
    switch (route.kind) {
      case 'base':
        return new Response('{}', { status: 200, headers: { 'Content-Type': JSON_TYPE } });
      case 'catalog':
        return this.#catalog(context);
      case 'tags':
        return this.#tags(context, route.name);
      case 'manifest':
        return this.#manifest(context, route.name, route.reference);
      case 'blob':
        return this.#blob(context, route.name, route.digest);
      case 'uploads':
        return this.#startUpload(context, route.name);
      case 'upload':
        return this.#upload(context, route.name, route.id);
      case 'referrers':
        return this.#referrers(context, route.name, route.digest);
    }
  }

  /** The access a request needs, as distribution's auth controller derives it from method and route. */
  #scopes(route: Route, request: Request, url: URL): Scope[] {
    if (route.kind === 'base') return [];
    if (route.kind === 'catalog') return [{ type: 'registry', name: 'catalog', actions: ['*'] }];
    const method = request.method;
    const actions = method === 'GET' || method === 'HEAD' ? ['pull'] : method === 'DELETE' ? ['delete'] : ['pull', 'push'];
    const scopes: Scope[] = [{ type: 'repository', name: route.name, actions }];
    const from = url.searchParams.get('from');
    if (route.kind === 'uploads' && url.searchParams.has('mount') && from) scopes.push({ type: 'repository', name: from, actions: ['pull'] });
    return scopes;
  }

  #repository(name: string, create: boolean): Repository | undefined {
    let repository = this.repositories.get(name);
    if (!repository && create) {
      repository = new Repository();
      this.repositories.set(name, repository);
    }
    return repository;
  }

  #paginate(all: string[], url: URL, path: string): { page: string[]; link?: string } {
    const nText = url.searchParams.get('n');
    const last = url.searchParams.get('last');
    const after = last ? all.filter((item) => item > last) : all;
    if (nText === null) return { page: after };
    const n = Number(nText);
    if (!Number.isInteger(n) || n < 0) throw new RegistryError('PAGINATION_NUMBER_INVALID', { detail: { n: nText } });
    const page = after.slice(0, n);
    if (after.length <= n || page.length === 0) return { page };
    const lastItem = page[page.length - 1] as string;
    return { page, link: `<${path}?last=${encodeURIComponent(lastItem)}&n=${n}>; rel="next"` };
  }

  #catalog({ url, identity }: RequestContext): Response {
    const names = [...this.repositories]
      .filter(([name, repo]) => (repo.manifests.size > 0 || repo.tags.size > 0) && this.#deps.gate.mayPull(identity, name))
      .map(([name]) => name)
      .sort();
    const { page, link } = this.#paginate(names, url, '/v2/_catalog');
    return json({ repositories: page }, 200, link ? { Link: link } : {});
  }

  #tags({ url }: RequestContext, name: string): Response {
    const repository = this.#repository(name, false);
    if (!repository || (repository.tags.size === 0 && repository.manifests.size === 0)) throw new RegistryError('NAME_UNKNOWN', { detail: { name } });
    const { page, link } = this.#paginate([...repository.tags.keys()].sort(), url, `/v2/${name}/tags/list`);
    return json({ name, tags: page }, 200, link ? { Link: link } : {});
  }

  // ---- manifests

  #manifestUrl(context: RequestContext, name: string, digest: string): string {
    return `${context.base}/v2/${name}/manifests/${digest}`;
  }

  #manifestFacts(context: RequestContext, name: string, manifest: ManifestRecord, tag: string | undefined): TargetFacts {
    const facts: TargetFacts = { mediaType: manifest.mediaType, size: manifest.size, digest: manifest.digest, repository: name, url: this.#manifestUrl(context, name, manifest.digest) };
    if (tag) facts.tag = tag;
    if (this.#deps.includeReferences) facts.references = manifest.references;
    return facts;
  }

  async #manifest(context: RequestContext, name: string, reference: string): Promise<Response> {
    const byDigest = reference.includes(':');
    if (byDigest ? !isDigest(reference) : !isTag(reference)) {
      throw byDigest ? new RegistryError('DIGEST_INVALID') : new RegistryError('TAG_INVALID', { detail: { Tag: reference } });
    }
    switch (context.request.method) {
      case 'GET':
      case 'HEAD':
        return this.#getManifest(context, name, reference, byDigest);
      case 'PUT':
        return this.#putManifest(context, name, reference, byDigest);
      case 'DELETE':
        return this.#deleteManifest(context, name, reference, byDigest);
      default:
        throw new RegistryError('UNSUPPORTED');
    }
  }

  #lookupManifest(name: string, reference: string, byDigest: boolean): ManifestRecord {
    const repository = this.#repository(name, false);
    const digest = byDigest ? reference : repository?.tags.get(reference);
    const manifest = digest ? repository?.manifests.get(digest) : undefined;
    if (!manifest) throw new RegistryError('MANIFEST_UNKNOWN', { detail: byDigest ? { Name: name, Revision: reference } : { Tag: reference } });
    return manifest;
  }

  async #getManifest(context: RequestContext, name: string, reference: string, byDigest: boolean): Promise<Response> {
    const manifest = this.#lookupManifest(name, reference, byDigest);
    const etag = `"${manifest.digest}"`;
    const ifNoneMatch = context.request.headers.get('if-none-match');
    if (ifNoneMatch && (ifNoneMatch === etag || ifNoneMatch === manifest.digest)) return empty(304, {});
    // distribution emits the pull when it reads the manifest, before it checks the Accept header.
    this.#deps.emit('pull', this.#manifestFacts(context, name, manifest, byDigest ? undefined : reference), context);
    const accepted = acceptedTypes(context.request);
    if (manifest.mediaType === OCI_IMAGE_MANIFEST && !accepted.has(OCI_IMAGE_MANIFEST)) {
      throw new RegistryError('MANIFEST_UNKNOWN', { message: 'OCI manifest found, but accept header does not support OCI manifests' });
    }
    if (manifest.mediaType === OCI_IMAGE_INDEX && !accepted.has(OCI_IMAGE_INDEX)) {
      throw new RegistryError('MANIFEST_UNKNOWN', { message: 'OCI index found, but accept header does not support OCI indexes' });
    }
    const headers = { 'Content-Type': manifest.mediaType, 'Content-Length': String(manifest.size), 'Docker-Content-Digest': manifest.digest, Etag: etag };
    if (context.request.method === 'HEAD') return new Response(null, { status: 200, headers });
    return new Response(await this.#deps.storage.readBlob(manifest.digest), { status: 200, headers });
  }

  async #putManifest(context: RequestContext, name: string, reference: string, byDigest: boolean): Promise<Response> {
    const bytes = await readManifestBody(context.request);
    const digest = digestOf(bytes);
    if (byDigest && digest !== reference) throw new RegistryError('DIGEST_INVALID');
    const manifest = parseManifest(bytes, context.request.headers.get('content-type'), digest);
    const repository = this.#repository(name, true) as Repository;
    for (const reference of manifest.references) {
      const known = manifest.isIndex ? repository.manifests.has(reference.digest) : repository.blobs.has(reference.digest) || (reference.urls?.length ?? 0) > 0;
      if (!known) throw new RegistryError('MANIFEST_BLOB_UNKNOWN', { detail: reference.digest });
    }
    if ((await this.#deps.storage.blobSize(digest)) === undefined) {
      const id = this.#deps.newId();
      await this.#deps.storage.createUpload(id);
      try {
        await this.#deps.storage.appendUpload(id, bytes);
      } catch (error) {
        await this.#deps.storage.cancelUpload(id);
        throw error;
      }
      await this.#deps.storage.commitUpload(id, digest);
    }
    repository.manifests.set(digest, manifest);
    if (!byDigest) repository.tags.set(reference, digest);
    this.#deps.emit('push', this.#manifestFacts(context, name, manifest, byDigest ? undefined : reference), context);
    const headers: Record<string, string> = { Location: this.#manifestUrl(context, name, digest), 'Docker-Content-Digest': digest };
    if (manifest.subject) headers['OCI-Subject'] = manifest.subject;
    return empty(201, headers);
  }

  async #deleteManifest(context: RequestContext, name: string, reference: string, byDigest: boolean): Promise<Response> {
    if (!this.#deps.deleteEnabled) throw new RegistryError('UNSUPPORTED');
    const repository = this.#repository(name, false);
    if (!byDigest) {
      // 2.8 parses the reference as a digest and fails; 3.x removes the tag.
      if (this.#deps.flavor === 'distribution-2.8') throw new RegistryError('DIGEST_INVALID');
      if (!repository?.tags.has(reference)) throw new RegistryError('MANIFEST_UNKNOWN', { detail: { Tag: reference } });
      repository.tags.delete(reference);
      this.#deps.emit('delete', { repository: name, tag: reference }, context);
      return empty(202, {});
    }
    if (!repository?.manifests.has(reference)) throw new RegistryError('MANIFEST_UNKNOWN', { detail: { Name: name, Revision: reference } });
    repository.manifests.delete(reference);
    this.#deps.emit('delete', { digest: reference, repository: name }, context);
    for (const [tag, digest] of [...repository.tags]) {
      if (digest !== reference) continue;
      repository.tags.delete(tag);
      this.#deps.emit('delete', { repository: name, tag }, context);
    }
    return empty(202, {});
  }

  // ---- blobs

  #blobUrl(context: RequestContext, name: string, digest: string): string {
    return `${context.base}/v2/${name}/blobs/${digest}`;
  }

  #blobFacts(context: RequestContext, name: string, digest: string, size: number): TargetFacts {
    return { mediaType: BLOB_MEDIA_TYPE, size, digest, repository: name, url: this.#blobUrl(context, name, digest) };
  }

  async #blobSizeIn(name: string, digest: string): Promise<number | undefined> {
    if (!this.#repository(name, false)?.blobs.has(digest)) return undefined;
    return this.#deps.storage.blobSize(digest);
  }

  async #blob(context: RequestContext, name: string, digest: string): Promise<Response> {
    if (!isDigest(digest)) throw new RegistryError('DIGEST_INVALID', { detail: {} });
    const method = context.request.method;
    if (method === 'DELETE') {
      if (!this.#deps.deleteEnabled) throw new RegistryError('UNSUPPORTED');
      const repository = this.#repository(name, false);
      if (!repository?.blobs.delete(digest)) throw new RegistryError('BLOB_UNKNOWN');
      this.#deps.emit('delete', { digest, repository: name }, context);
      return empty(202, {});
    }
    if (method !== 'GET' && method !== 'HEAD') throw new RegistryError('UNSUPPORTED');
    const size = await this.#blobSizeIn(name, digest);
    if (size === undefined) throw new RegistryError('BLOB_UNKNOWN', { detail: digest });
    const range = parseRange(context.request.headers.get('range'), size);
    if (range === 'invalid') {
      return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}` } });
    }
    this.#deps.emit('pull', this.#blobFacts(context, name, digest, size), context);
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
    if (method === 'HEAD') return new Response(null, { status, headers });
    return new Response(await this.#deps.storage.readBlob(digest, range), { status, headers });
  }

  // ---- uploads

  #uploadHeaders(context: RequestContext, name: string, id: string, upload: Upload): Record<string, string> {
    // Like distribution, the Location carries a `_state` query parameter, so clients append `&digest=`.
    const state = btoa(JSON.stringify({ Name: name, UUID: id, Offset: upload.hash.size })).replace(/\+/g, '-').replace(/\//g, '_');
    return {
      Location: `${context.base}/v2/${name}/blobs/uploads/${id}?_state=${encodeURIComponent(state)}`,
      Range: `0-${Math.max(upload.hash.size - 1, 0)}`,
      'Docker-Upload-UUID': id,
    };
  }

  async #startUpload(context: RequestContext, name: string): Promise<Response> {
    if (context.request.method !== 'POST') throw new RegistryError('UNSUPPORTED');
    const params = context.url.searchParams;
    const mount = params.get('mount');
    const from = params.get('from');
    if (mount && from) {
      if (!isDigest(mount)) throw new RegistryError('DIGEST_INVALID', { detail: {} });
      const size = await this.#blobSizeIn(from, mount);
      if (size !== undefined) {
        (this.#repository(name, true) as Repository).blobs.add(mount);
        this.#deps.emit('mount', { ...this.#blobFacts(context, name, mount, size), fromRepository: from }, context);
        return empty(201, { Location: this.#blobUrl(context, name, mount), 'Docker-Content-Digest': mount });
      }
    }
    const id = this.#deps.newId();
    const upload: Upload = { repository: name, hash: new DigestAccumulator(this.#deps.sha256) };
    await this.#deps.storage.createUpload(id);
    await this.#uploads.open(id, upload);
    const digest = params.get('digest');
    if (digest !== null && !mount) {
      // Monolithic upload (OCI spec): the body is the whole blob.
      await this.#receive(context.request, id, upload);
      return this.#commit(context, name, id, upload, digest);
    }
    return empty(202, this.#uploadHeaders(context, name, id, upload));
  }

  async #upload(context: RequestContext, name: string, id: string): Promise<Response> {
    const upload = await this.#uploads.use(id);
    if (!upload || upload.repository !== name) throw new RegistryError('BLOB_UPLOAD_UNKNOWN', { detail: {} });
    switch (context.request.method) {
      case 'GET':
        return empty(204, this.#uploadHeaders(context, name, id, upload));
      case 'DELETE':
        this.#uploads.close(id);
        await this.#deps.storage.cancelUpload(id);
        return empty(204, {});
      case 'PATCH': {
        const contentRange = context.request.headers.get('content-range');
        const start = contentRange ? /^(?:bytes )?(\d+)-(\d+)$/.exec(contentRange.trim()) : null;
        if (contentRange && (!start || Number(start[1]) !== upload.hash.size)) {
          return new Response(null, { status: 416, headers: this.#uploadHeaders(context, name, id, upload) });
        }
        await this.#receive(context.request, id, upload);
        return empty(202, this.#uploadHeaders(context, name, id, upload));
      }
      case 'PUT': {
        await this.#receive(context.request, id, upload);
        return this.#commit(context, name, id, upload, context.url.searchParams.get('digest'));
      }
      default:
        throw new RegistryError('UNSUPPORTED');
    }
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
        this.#uploads.close(id);
        await this.#deps.storage.cancelUpload(id);
      }
      throw error;
    }
  }

  async #commit(context: RequestContext, name: string, id: string, upload: Upload, expected: string | null): Promise<Response> {
    this.#uploads.close(id);
    const actual = upload.hash.finish();
    if (!expected || !isDigest(expected) || expected !== actual) {
      await this.#deps.storage.cancelUpload(id);
      throw new RegistryError('DIGEST_INVALID', { detail: { Digest: expected ?? '', Reason: {} } });
    }
    await this.#deps.storage.commitUpload(id, actual);
    (this.#repository(name, true) as Repository).blobs.add(actual);
    this.#deps.emit('push', this.#blobFacts(context, name, actual, upload.hash.size), context);
    return empty(201, { Location: this.#blobUrl(context, name, actual), 'Docker-Content-Digest': actual });
  }

  // ---- referrers (OCI 1.1; distribution 2.8 has no such route)

  #referrers(context: RequestContext, name: string, digest: string): Response {
    if (!isDigest(digest)) throw new RegistryError('DIGEST_INVALID', { detail: {} });
    const artifactType = context.url.searchParams.get('artifactType');
    const manifests: Descriptor[] = [];
    for (const manifest of this.#repository(name, false)?.manifests.values() ?? []) {
      if (manifest.subject !== digest) continue;
      if (artifactType && manifest.artifactType !== artifactType) continue;
      const descriptor: Descriptor = { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.size };
      if (manifest.artifactType) descriptor.artifactType = manifest.artifactType;
      if (manifest.annotations) descriptor.annotations = manifest.annotations;
      manifests.push(descriptor);
    }
    const headers: Record<string, string> = { 'Content-Type': OCI_IMAGE_INDEX };
    if (artifactType) headers['OCI-Filters-Applied'] = 'artifactType';
    return new Response(JSON.stringify({ schemaVersion: 2, mediaType: OCI_IMAGE_INDEX, manifests }), { status: 200, headers });
  }
}

