import type { RegistryClient } from '@regevents/registry-client';
import { buildImage, OCI_MANIFEST, type BuiltImage, type Platform } from '@regevents/registry-harness';

/** Pushes a built image (blobs, then platform manifests, then the root) by tag, or by digest when `tag` is undefined. */
export async function pushBuilt(client: RegistryClient, repository: string, image: BuiltImage, tag: string | undefined): Promise<string> {
  const root = image.blobs.get(image.root.digest) as Uint8Array;
  const children = new Set(((JSON.parse(new TextDecoder().decode(root)) as { manifests?: { digest: string }[] }).manifests ?? []).map((child) => child.digest));
  for (const [digest, bytes] of image.blobs) if (digest !== image.root.digest && !children.has(digest)) await client.pushBlob(repository, bytes, { digest });
  for (const digest of children) await client.putManifest(repository, digest, { mediaType: OCI_MANIFEST, bytes: image.blobs.get(digest) as Uint8Array });
  await client.putManifest(repository, tag ?? image.root.digest, { mediaType: image.root.mediaType, bytes: root });
  return image.root.digest;
}

export async function pushImage(client: RegistryClient, repository: string, tag: string, seed: number, platforms?: Platform[]): Promise<string> {
  return pushBuilt(client, repository, buildImage({ seed, layers: 2, layerBytes: 2048, ...(platforms ? { platforms } : {}) }), tag);
}

/** A signature-like artifact whose `subject` is `subject`, pushed by digest (the client adds it to the referrers fallback tag). */
export async function pushSignature(client: RegistryClient, repository: string, subject: { digest: string; size: number }, seed: number): Promise<string> {
  const payload = new TextEncoder().encode(`signature ${seed}`);
  const { digest: payloadDigest } = await client.pushBlob(repository, payload);
  const emptyConfig = new TextEncoder().encode('{}');
  const { digest: configDigest } = await client.pushBlob(repository, emptyConfig);
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: configDigest, size: emptyConfig.byteLength },
    layers: [{ mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', digest: payloadDigest, size: payload.byteLength }],
    subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.size },
  };
  const bytes = new TextEncoder().encode(JSON.stringify(manifest));
  const digest = `sha256:${Buffer.from(await crypto.subtle.digest('SHA-256', bytes)).toString('hex')}`;
  await client.putManifest(repository, digest, { mediaType: OCI_MANIFEST, bytes });
  return digest;
}
