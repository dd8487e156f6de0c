import type { Descriptor } from '@regevents/types';
import { OCI_IMAGE_INDEX } from '@regevents/types';
import { isDigest } from '../digest.js';
import { RegistryError } from '../errors.js';
import type { HandlerDependencies, RequestContext } from './context.js';

/**
 * `GET /v2/<name>/referrers/<digest>` (OCI distribution spec 1.1): an image index of the
 * manifests whose `subject` is the digest, known or not, filtered by `artifactType` with
 * `OCI-Filters-Applied` saying so. Only flavors with the API route here.
 */
export function referrers(deps: HandlerDependencies, context: RequestContext, name: string, digest: string): Response {
  if (!isDigest(digest)) throw new RegistryError('DIGEST_INVALID', { detail: {} });
  const artifactType = context.url.searchParams.get('artifactType');
  const manifests: Descriptor[] = [];
  for (const manifest of deps.state.get(name)?.manifests.values() ?? []) {
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
