import { OCI_IMAGE_INDEX, type Descriptor } from '@regevents/types';
import { parseJson, readText } from './body.js';
import type { CallOptions, ClientContext } from './context.js';
import { RegistryError } from './errors.js';
import { getManifest, putManifest, type ManifestJson } from './manifests.js';
import { assertDigest, assertRepository } from './reference.js';

export interface ReferrersOptions extends CallOptions {
  /** Only referrers of this artifact type (filtered here when the registry does not). */
  artifactType?: string;
}

/** The tag-schema fallback of the OCI distribution spec: `sha256:abc…` → `sha256-abc…` (128 characters at most). */
export function referrersTag(digest: string): string {
  assertDigest(digest);
  return digest.replace(':', '-').slice(0, 128);
}

function notFound(error: unknown): boolean {
  return error instanceof RegistryError && error.status === 404;
}

async function fallbackIndex(context: ClientContext, repository: string, subject: string, options: CallOptions): Promise<Descriptor[] | undefined> {
  try {
    const index = await getManifest(context, repository, referrersTag(subject), { accept: [OCI_IMAGE_INDEX], signal: options.signal });
    return index.json.manifests ?? [];
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}

/**
 * The manifests whose `subject` is `digest`: from the referrers API, or, where the registry has
 * none (its 404, as on distribution 2.8 and 3.x), from the fallback tag clients maintain.
 */
export async function listReferrers(context: ClientContext, repository: string, digest: string, options: ReferrersOptions = {}): Promise<Descriptor[]> {
  assertRepository(repository);
  assertDigest(digest);
  const url = context.transport.resolve(`/v2/${repository}/referrers/${digest}`);
  if (options.artifactType) url.searchParams.set('artifactType', options.artifactType);
  const response = await context.transport.send({ method: 'GET', url, headers: { Accept: OCI_IMAGE_INDEX }, ok: [200, 404], signal: options.signal });
  let manifests: Descriptor[];
  if (response.status === 404) {
    await response.body?.cancel();
    manifests = (await fallbackIndex(context, repository, digest, options)) ?? [];
  } else {
    const index = parseJson(await readText(response, context.limits.manifestBytes, `referrers of ${digest}`)) as ManifestJson | undefined;
    manifests = index?.manifests ?? [];
  }
  return options.artifactType ? manifests.filter((descriptor) => descriptor.artifactType === options.artifactType) : manifests;
}

/** Adds a referrer to the subject's fallback tag, for registries that did not index the `subject` themselves. */
export async function addToReferrersTag(context: ClientContext, repository: string, subject: string, referrer: Descriptor, options: CallOptions = {}): Promise<void> {
  const manifests = (await fallbackIndex(context, repository, subject, options)) ?? [];
  if (manifests.some((descriptor) => descriptor.digest === referrer.digest)) return;
  const index = { schemaVersion: 2, mediaType: OCI_IMAGE_INDEX, manifests: [...manifests, referrer] };
  await putManifest(context, repository, referrersTag(subject), { mediaType: OCI_IMAGE_INDEX, bytes: new TextEncoder().encode(JSON.stringify(index)) }, options);
}
