import { manifestReference, parseReference, type RegistryClient } from '@regevents/registry-client';
import type { Descriptor } from '@regevents/types';
import { createImage, type BuiltImage, type Content, type Image, type ImageOptions } from './images.js';

/** A pulled manifest and everything under it. */
export interface PulledImage {
  manifest: Content;
  /** Child manifests of an index, in order. */
  manifests: Content[];
  blobs: Content[];
}

/** What a user does to a registry, in the requests skopeo sends: push, pull, copy within the registry, delete. */
export interface ImageScenarios {
  /** Pushes every blob and manifest of an image (an index's children by digest), the root under the reference's tag. */
  pushImage(reference: string, image?: BuiltImage | ImageOptions): Promise<BuiltImage>;
  /** Fetches a manifest and every blob under it, as `skopeo copy docker://… oci:…` does. */
  pullImage(reference: string): Promise<PulledImage>;
  /** Copies an image between repositories of the registry: blobs are mounted. */
  copyImage(source: string, destination: string): Promise<void>;
  /** Resolves the tag with a GET, then deletes by digest, as `skopeo delete` does; returns the digest. */
  deleteImage(reference: string): Promise<string>;
}

/** `name:tag`, `name@digest` or `name` (tag `latest`), as written: no Docker Hub defaults. */
function target(text: string): { repository: string; reference: string } {
  const parsed = parseReference(text, { dockerHub: false });
  return { repository: parsed.repository, reference: manifestReference(parsed) };
}

async function contentOf(client: RegistryClient, repository: string, descriptor: Descriptor): Promise<Content> {
  const blob = await client.getBlob(repository, descriptor.digest, { size: descriptor.size });
  return { ...descriptor, bytes: new Uint8Array(await new Response(blob.body).arrayBuffer()) };
}

/** The scenario helpers, driven by a `@regevents/registry-client` client. */
export function imageScenarios(client: RegistryClient): ImageScenarios {
  const pushOne = async (repository: string, image: Image, reference: string) => {
    for (const blob of [...image.layers, image.config]) await client.pushBlob(repository, blob.bytes, { digest: blob.digest });
    await client.putManifest(repository, reference, image.manifest);
  };
  return {
    async pushImage(reference, imageOrOptions = {}) {
      const image = 'kind' in imageOrOptions ? imageOrOptions : await createImage(imageOrOptions);
      const { repository, reference: tag } = target(reference);
      if (image.kind === 'image') return (await pushOne(repository, image, tag), image);
      for (const child of image.images) await pushOne(repository, child, child.manifest.digest);
      await client.putManifest(repository, tag, image.manifest);
      return image;
    },
    async pullImage(reference) {
      const { repository, reference: ref } = target(reference);
      const root = await client.getManifest(repository, ref);
      const manifests: Content[] = [];
      const blobs: Content[] = [];
      const pullBlobs = async (json: typeof root.json) => {
        for (const descriptor of [...(json.layers ?? []), ...(json.config ? [json.config] : [])]) blobs.push(await contentOf(client, repository, descriptor));
      };
      for (const child of root.json.manifests ?? []) {
        const manifest = await client.getManifest(repository, child.digest);
        manifests.push({ mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.size, bytes: manifest.bytes });
        await pullBlobs(manifest.json);
      }
      if (!root.json.manifests) await pullBlobs(root.json);
      return { manifest: { mediaType: root.mediaType, digest: root.digest, size: root.size, bytes: root.bytes }, manifests, blobs };
    },
    async copyImage(source, destination) {
      const from = target(source);
      const to = target(destination);
      await client.copy(from, { repository: to.repository, reference: to.reference }, { concurrency: 1 });
    },
    async deleteImage(reference) {
      const { repository, reference: ref } = target(reference);
      const { digest } = await client.getManifest(repository, ref);
      await client.deleteManifest(repository, digest);
      return digest;
    },
  };
}
