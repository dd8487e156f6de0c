import { buildImage, type BuiltImage, type ImageSpec } from '@regevents/registry-harness';
import type { RegistryClient } from '../src/index.js';

export { buildImage, type BuiltImage };

/** The manifests of a built image in push order (children, then the root) and the plain blobs. */
export function partsOf(image: BuiltImage): { manifests: { digest: string; mediaType: string; bytes: Uint8Array }[]; blobs: { digest: string; bytes: Uint8Array }[] } {
  const rootBytes = image.blobs.get(image.root.digest) as Uint8Array;
  const root = JSON.parse(new TextDecoder().decode(rootBytes)) as { manifests?: { digest: string; mediaType: string }[] };
  const children = (root.manifests ?? []).map((child) => ({ digest: child.digest, mediaType: child.mediaType, bytes: image.blobs.get(child.digest) as Uint8Array }));
  const manifestDigests = new Set([image.root.digest, ...children.map((child) => child.digest)]);
  const blobs = [...image.blobs].filter(([digest]) => !manifestDigests.has(digest)).map(([digest, bytes]) => ({ digest, bytes }));
  return { manifests: [...children, { digest: image.root.digest, mediaType: image.root.mediaType, bytes: rootBytes }], blobs };
}

/** Pushes a built image with the client: blobs, child manifests by digest, the root by `tag`. */
export async function pushBuilt(client: RegistryClient, repository: string, tag: string, spec: ImageSpec): Promise<BuiltImage> {
  const image = buildImage(spec);
  const { manifests, blobs } = partsOf(image);
  for (const blob of blobs) await client.pushBlob(repository, blob.bytes, { digest: blob.digest });
  for (const manifest of manifests) await client.putManifest(repository, manifest.digest === image.root.digest ? tag : manifest.digest, manifest);
  return image;
}

export async function streamText(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function streamOf(bytes: Uint8Array, pieces = 7): ReadableStream<Uint8Array> {
  let index = 0;
  const step = Math.ceil(bytes.byteLength / pieces);
  return new ReadableStream({
    pull(controller) {
      if (index >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(index, index + step));
      index += step;
    },
  });
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
