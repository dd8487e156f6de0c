import { DOCKER_MANIFEST_LIST, DOCKER_MANIFEST_V1_SIGNED, DOCKER_MANIFEST_V2, OCI_IMAGE_INDEX, OCI_IMAGE_MANIFEST, type Descriptor } from '@regevents/types';
import { parseJson, readBytes } from './body.js';
import { encodePath, type CallOptions, type ClientContext } from './context.js';
import { digestOf, verifyBytes } from './digest.js';
import { IntegrityError, ManifestError, RegistryError, UnsupportedError } from './errors.js';
import { assertDigest, assertRepository, assertTagOrDigest, isDigest } from './reference.js';

/** The parts of an image manifest or index the client reads. */
export interface ManifestJson {
  schemaVersion: number;
  mediaType?: string;
  artifactType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** A manifest as fetched: its exact bytes (what the digest covers) and their parsed JSON. */
export interface Manifest {
  digest: string;
  mediaType: string;
  size: number;
  bytes: Uint8Array;
  json: ManifestJson;
}

/** Media types asked for by default, most specific first; schema 1 is left out on purpose. */
export const ACCEPTED_MANIFEST_TYPES: readonly string[] = [OCI_IMAGE_INDEX, OCI_IMAGE_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST_V2];

export function isIndex(mediaType: string): boolean {
  return mediaType === OCI_IMAGE_INDEX || mediaType === DOCKER_MANIFEST_LIST;
}

export interface GetManifestOptions extends CallOptions {
  /** Media types to accept (default: OCI and Docker images and indexes). */
  accept?: readonly string[];
}

function bareMediaType(header: string | null): string {
  return (header ?? '').split(';')[0]?.trim() ?? '';
}

function parseManifest(bytes: Uint8Array, what: string): ManifestJson {
  const json = parseJson(new TextDecoder().decode(bytes)) as ManifestJson | undefined;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ManifestError(`${what}: the manifest is not a JSON object`);
  if (json.schemaVersion === 1) throw new ManifestError(`${what}: schema 1 manifests (${DOCKER_MANIFEST_V1_SIGNED}) are not supported`);
  return json;
}

function manifestPath(repository: string, reference: string): string {
  assertRepository(repository);
  assertTagOrDigest(reference);
  return `${encodePath(repository)}/manifests/${reference}`;
}

/** GET a manifest by tag or digest; the digest is checked against the bytes, `Docker-Content-Digest` and a digest reference. */
export async function getManifest(context: ClientContext, repository: string, reference: string, options: GetManifestOptions = {}): Promise<Manifest> {
  const what = `manifest ${repository}:${reference}`;
  const response = await context.transport.send({
    method: 'GET',
    url: manifestPath(repository, reference),
    headers: { Accept: (options.accept ?? ACCEPTED_MANIFEST_TYPES).join(', ') },
    ok: [200],
    signal: options.signal,
  });
  const bytes = await readBytes(response, context.limits.manifestBytes, what);
  const header = response.headers.get('docker-content-digest');
  const digest = isDigest(reference) ? await verifyBytes(what, bytes, reference) : await digestOf(bytes);
  if (header && header.startsWith('sha256:') && header !== digest) throw new IntegrityError(`${what}: Docker-Content-Digest`, header, digest);
  const contentType = bareMediaType(response.headers.get('content-type'));
  if (contentType === DOCKER_MANIFEST_V1_SIGNED || contentType === 'application/vnd.docker.distribution.manifest.v1+json') {
    throw new ManifestError(`${what}: schema 1 manifests (${contentType}) are not supported`);
  }
  const json = parseManifest(bytes, what);
  const mediaType = json.mediaType ?? contentType;
  return { digest, mediaType, size: bytes.byteLength, bytes, json };
}

/** HEAD a manifest: its descriptor, or undefined when the registry has none under `reference`. */
export async function headManifest(context: ClientContext, repository: string, reference: string, options: GetManifestOptions = {}): Promise<Descriptor | undefined> {
  const response = await context.transport.send({
    method: 'HEAD',
    url: manifestPath(repository, reference),
    headers: { Accept: (options.accept ?? ACCEPTED_MANIFEST_TYPES).join(', ') },
    ok: [200, 404],
    signal: options.signal,
  });
  if (response.status === 404) return undefined;
  const digest = response.headers.get('docker-content-digest') ?? undefined;
  const size = Number(response.headers.get('content-length'));
  if (!digest || !Number.isSafeInteger(size)) {
    const manifest = await getManifest(context, repository, reference, options);
    return { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.size };
  }
  if (isDigest(reference) && digest !== reference) throw new IntegrityError(`manifest ${repository}:${reference}: Docker-Content-Digest`, reference, digest);
  return { mediaType: bareMediaType(response.headers.get('content-type')), digest, size };
}

/** What a manifest PUT sends: the exact bytes and their media type. */
export interface ManifestContent {
  mediaType: string;
  bytes: Uint8Array;
}

export interface PutManifestResult {
  digest: string;
  /** Whether the registry said it indexed the manifest's `subject` (`OCI-Subject`): if not, the client keeps the fallback tag. */
  subjectIndexed: boolean;
}

/** PUT a manifest by tag or by digest (which must be the bytes' digest). */
export async function putManifest(context: ClientContext, repository: string, reference: string, manifest: ManifestContent, options: CallOptions = {}): Promise<PutManifestResult> {
  const digest = await digestOf(manifest.bytes);
  const what = `manifest ${repository}:${reference}`;
  if (isDigest(reference) && reference !== digest) throw new IntegrityError(`${what}: the bytes to push`, reference, digest);
  const response = await context.transport.send({
    method: 'PUT',
    url: manifestPath(repository, reference),
    headers: { 'Content-Type': manifest.mediaType },
    body: manifest.bytes,
    ok: [201, 200, 202],
    signal: options.signal,
  });
  await response.body?.cancel();
  const stored = response.headers.get('docker-content-digest');
  if (stored && stored.startsWith('sha256:') && stored !== digest) throw new IntegrityError(`${what}: Docker-Content-Digest`, digest, stored);
  return { digest, subjectIndexed: response.headers.has('oci-subject') };
}

function unsupportedDelete(error: unknown, operation: string): never {
  if (error instanceof RegistryError && error.status === 405) throw new UnsupportedError(operation, 'the registry does not allow deletes (storage.delete.enabled)', 405);
  throw error;
}

/** DELETE a manifest by digest: every tag pointing at it goes too. */
export async function deleteManifest(context: ClientContext, repository: string, digest: string, options: CallOptions = {}): Promise<void> {
  assertDigest(digest);
  const response = await context.transport.send({ method: 'DELETE', url: manifestPath(repository, digest), ok: [202, 200], signal: options.signal }).catch((error: unknown) => unsupportedDelete(error, 'manifest delete'));
  await response.body?.cancel();
}

/** DELETE a tag alone (distribution 3.x, OCI 1.1); 2.8 answers 400 and some registries 405: an `UnsupportedError`. */
export async function deleteTag(context: ClientContext, repository: string, tag: string, options: CallOptions = {}): Promise<void> {
  if (isDigest(tag)) throw new UnsupportedError('tag delete', `"${tag}" is a digest; use deleteManifest`);
  const response = await context.transport.send({ method: 'DELETE', url: manifestPath(repository, tag), ok: [202, 200], signal: options.signal }).catch((error: unknown) => {
    if (error instanceof RegistryError && (error.status === 400 || error.status === 405)) throw new UnsupportedError('tag delete', `the registry answered ${error.status} ${error.code}`, error.status);
    throw error;
  });
  await response.body?.cancel();
}

export { unsupportedDelete };
