import type { BuiltImage } from '@regevents/registry-harness';
import type { RegistryClient } from '@regevents/registry-client';

/** Pushes a built single-platform image with the client: its blobs, then its manifest by `tag`. */
export async function pushBuilt(client: RegistryClient, repository: string, tag: string, image: BuiltImage): Promise<void> {
  for (const [digest, bytes] of image.blobs) if (digest !== image.root.digest) await client.pushBlob(repository, bytes, { digest });
  await client.putManifest(repository, tag, { mediaType: image.root.mediaType, bytes: image.blobs.get(image.root.digest) as Uint8Array });
}
