import { OCI_IMAGE_INDEX, OCI_IMAGE_MANIFEST } from '@regevents/types';
import { readManifestBody } from '../body.js';
import { digestOf, isDigest } from '../digest.js';
import { RegistryError } from '../errors.js';
import type { TargetFacts } from '../event-format.js';
import { parseManifest, type ManifestRecord } from '../manifests.js';
import { isTag } from '../routes.js';
import { empty, manifestUrl, type HandlerDependencies, type RequestContext } from './context.js';

/** A reference the route accepted: a tag, a sha256 digest, or something digest-shaped distribution cannot parse. */
type Reference = { kind: 'tag'; tag: string } | { kind: 'digest'; digest: string };

function referenceOf(reference: string): Reference {
  if (isTag(reference)) return { kind: 'tag', tag: reference };
  // distribution 2.8 looks a digest it cannot parse up as a tag and fails with a storage path (500): a bug no client relies on.
  if (!isDigest(reference)) throw new RegistryError('DIGEST_INVALID');
  return { kind: 'digest', digest: reference };
}

function acceptedTypes(request: Request): Set<string> {
  const types = new Set<string>();
  for (const part of (request.headers.get('accept') ?? '').split(',')) {
    const type = part.split(';')[0]?.trim().toLowerCase();
    if (type) types.add(type);
  }
  return types;
}

function facts(deps: HandlerDependencies, context: RequestContext, name: string, manifest: ManifestRecord, tag: string | undefined): TargetFacts {
  const target: TargetFacts = { mediaType: manifest.mediaType, size: manifest.size, digest: manifest.digest, repository: name, url: manifestUrl(context, name, manifest.digest) };
  if (tag) target.tag = tag;
  if (deps.includeReferences) target.references = manifest.references;
  return target;
}

function lookup(deps: HandlerDependencies, name: string, reference: Reference): ManifestRecord {
  const repository = deps.state.get(name);
  const digest = reference.kind === 'digest' ? reference.digest : repository?.tags.get(reference.tag);
  const manifest = digest ? repository?.manifests.get(digest) : undefined;
  if (!manifest) throw new RegistryError('MANIFEST_UNKNOWN', { detail: reference.kind === 'digest' ? { Name: name, Revision: reference.digest } : { Tag: reference.tag } });
  return manifest;
}

async function getManifest(deps: HandlerDependencies, context: RequestContext, name: string, reference: Reference): Promise<Response> {
  const manifest = lookup(deps, name, reference);
  const etag = `"${manifest.digest}"`;
  const ifNoneMatch = context.request.headers.get('if-none-match');
  if (ifNoneMatch && (ifNoneMatch === etag || ifNoneMatch === manifest.digest)) return empty(304, {});
  // distribution emits the pull when it reads the manifest, before it checks the Accept header.
  deps.emit('pull', facts(deps, context, name, manifest, reference.kind === 'tag' ? reference.tag : undefined), context);
  const accepted = acceptedTypes(context.request);
  if (manifest.mediaType === OCI_IMAGE_MANIFEST && !accepted.has(OCI_IMAGE_MANIFEST)) {
    throw new RegistryError('MANIFEST_UNKNOWN', { message: 'OCI manifest found, but accept header does not support OCI manifests' });
  }
  if (manifest.mediaType === OCI_IMAGE_INDEX && !accepted.has(OCI_IMAGE_INDEX)) {
    throw new RegistryError('MANIFEST_UNKNOWN', { message: 'OCI index found, but accept header does not support OCI indexes' });
  }
  const headers = { 'Content-Type': manifest.mediaType, 'Content-Length': String(manifest.size), 'Docker-Content-Digest': manifest.digest, Etag: etag };
  if (context.request.method === 'HEAD') return new Response(null, { status: 200, headers });
  return new Response(await deps.storage.readBlob(manifest.digest), { status: 200, headers });
}

async function storeBytes(deps: HandlerDependencies, digest: string, bytes: Uint8Array): Promise<void> {
  if ((await deps.storage.blobSize(digest)) !== undefined) return;
  const id = deps.newId();
  await deps.storage.createUpload(id);
  try {
    await deps.storage.appendUpload(id, bytes);
  } catch (error) {
    await deps.storage.cancelUpload(id);
    throw error;
  }
  await deps.storage.commitUpload(id, digest);
}

async function putManifest(deps: HandlerDependencies, context: RequestContext, name: string, reference: Reference): Promise<Response> {
  const bytes = await readManifestBody(context.request);
  const digest = digestOf(bytes);
  if (reference.kind === 'digest' && digest !== reference.digest) throw new RegistryError('DIGEST_INVALID');
  const manifest = parseManifest(bytes, context.request.headers.get('content-type'), digest);
  const repository = deps.state.getOrCreate(name);
  for (const child of manifest.references) {
    const known = manifest.isIndex ? repository.manifests.has(child.digest) : repository.blobs.has(child.digest) || (child.urls?.length ?? 0) > 0;
    if (!known) throw new RegistryError('MANIFEST_BLOB_UNKNOWN', { detail: child.digest });
  }
  await storeBytes(deps, digest, bytes);
  repository.manifests.set(digest, manifest);
  const tag = reference.kind === 'tag' ? reference.tag : undefined;
  if (tag) repository.tag(tag, digest);
  deps.emit('push', facts(deps, context, name, manifest, tag), context);
  const headers: Record<string, string> = { Location: manifestUrl(context, name, digest), 'Docker-Content-Digest': digest };
  if (manifest.subject && deps.behaviour.manifests.ociSubject) headers['OCI-Subject'] = manifest.subject;
  return empty(201, headers);
}

async function deleteManifest(deps: HandlerDependencies, context: RequestContext, name: string, reference: Reference): Promise<Response> {
  if (!deps.deleteEnabled) throw new RegistryError('UNSUPPORTED');
  const repository = deps.state.get(name);
  if (reference.kind === 'tag') {
    // 2.8 parses the reference as a digest and fails; 3.x and OCI registries remove the tag.
    if (!deps.behaviour.manifests.deleteByTag) throw new RegistryError('DIGEST_INVALID');
    if (!repository?.tags.has(reference.tag)) throw new RegistryError('MANIFEST_UNKNOWN', { detail: { Tag: reference.tag } });
    repository.tags.delete(reference.tag);
    deps.emit('delete', { repository: name, tag: reference.tag }, context);
    return empty(202, {});
  }
  if (!repository?.manifests.delete(reference.digest)) throw new RegistryError('MANIFEST_UNKNOWN');
  deps.emit('delete', { digest: reference.digest, repository: name }, context);
  for (const [tag, digest] of [...repository.tags]) {
    if (digest !== reference.digest) continue;
    repository.tags.delete(tag);
    deps.emit('delete', { repository: name, tag }, context);
  }
  return empty(202, {});
}

/** `/v2/<name>/manifests/<reference>`: GET, HEAD, PUT and DELETE by tag or digest. */
export async function manifests(deps: HandlerDependencies, context: RequestContext, name: string, reference: string): Promise<Response> {
  const parsed = referenceOf(reference);
  switch (context.request.method) {
    case 'GET':
    case 'HEAD':
      return getManifest(deps, context, name, parsed);
    case 'PUT':
      return putManifest(deps, context, name, parsed);
    default:
      return deleteManifest(deps, context, name, parsed);
  }
}
