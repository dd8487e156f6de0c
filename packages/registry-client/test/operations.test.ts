import { OCI_IMAGE_INDEX, OCI_IMAGE_MANIFEST, OCI_EMPTY } from '@regevents/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryClient, digestOf, IntegrityError, RegistryError, UnsupportedError, type RegistryClient } from '../src/index.js';
import { createRegistryClient as createNodeRegistryClient, nodeSha256 } from '../src/node/index.js';
import { collect, partsOf, pushBuilt, streamOf, streamText } from './images.js';
import { targetKinds, type Target } from './targets.js';

const TWO_PLATFORMS = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' },
];

function bytesOf(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed * 7) & 0xff;
  return bytes;
}

// The main entry (global fetch, portable SHA-256) and the node entry (node:http, node:crypto).
const entries = [
  { entry: 'main entry', create: createRegistryClient },
  { entry: 'node entry', create: createNodeRegistryClient },
];

for (const kind of targetKinds) for (const { entry, create } of entries) {
  describe.skipIf(!kind.available)(`every operation against ${kind.name}, ${entry}`, () => {
    let target: Target;
    let client: RegistryClient;

    beforeAll(async () => {
      target = await kind.start();
      client = create({ baseUrl: target.url, userAgent: 'registry-client-tests' });
    });
    afterAll(() => target?.stop());

    it('pings /v2/', async () => {
      expect(await client.ping()).toEqual({ apiVersion: 'registry/2.0' });
    });

    it('uploads a blob whole, as a stream, and in resumable chunks (digest computed on the way), then reads it back verified', async () => {
      const bytes = bytesOf(300_000, 1);
      const digest = await digestOf(bytes);
      expect(await client.pushBlob('ops/blobs', bytes, { digest })).toEqual({ digest, size: bytes.byteLength, mounted: false });
      const streamed = bytesOf(200_000, 2);
      const streamedDigest = await digestOf(streamed);
      expect((await client.pushBlob('ops/blobs', streamOf(streamed), { digest: streamedDigest })).size).toBe(200_000);
      const chunked = bytesOf(250_000, 3);
      const progress: number[] = [];
      const result = await client.pushBlob('ops/blobs', streamOf(chunked, 3), { chunkSize: 64 * 1024, onProgress: (sent) => progress.push(sent) });
      expect(result.digest).toBe(await digestOf(chunked));
      expect(progress).toEqual([65_536, 131_072, 196_608, 250_000]);

      expect(await client.headBlob('ops/blobs', digest)).toEqual({ digest, size: 300_000 });
      expect(await client.headBlob('ops/blobs', await digestOf(bytesOf(10, 9)))).toBeUndefined();
      const blob = await client.getBlob('ops/blobs', result.digest);
      expect(await streamText(blob.body)).toEqual(chunked);
      const range = await client.getBlob('ops/blobs', digest, { range: { start: 10, end: 19 } });
      expect(await streamText(range.body)).toEqual(bytes.slice(10, 20));
    });

    it('refuses to report a blob whose bytes are not what the descriptor promises', async () => {
      const bytes = bytesOf(1000, 4);
      const digest = await digestOf(bytes);
      await client.pushBlob('ops/blobs', bytes, { digest });
      const wrongSize = await client.getBlob('ops/blobs', digest, { size: 999 });
      await expect(streamText(wrongSize.body)).rejects.toBeInstanceOf(IntegrityError);
    });

    it('pushes manifests by tag and by digest, reads them with their digest, HEADs them, and lists tags', async () => {
      const image = await pushBuilt(client, 'ops/app', '1.0', { seed: 11, layers: 2 });
      const manifest = await client.getManifest('ops/app', '1.0');
      expect(manifest).toMatchObject({ digest: image.root.digest, mediaType: OCI_IMAGE_MANIFEST, size: image.root.size });
      expect(manifest.json.layers).toHaveLength(2);
      expect((await client.getManifest('ops/app', image.root.digest)).bytes).toEqual(manifest.bytes);
      expect(await client.headManifest('ops/app', '1.0')).toEqual({ mediaType: OCI_IMAGE_MANIFEST, digest: image.root.digest, size: image.root.size });
      expect(await client.headManifest('ops/app', 'missing')).toBeUndefined();
      await client.putManifest('ops/app', '1.1', manifest);
      expect((await collect(client.tags('ops/app'))).sort()).toEqual(['1.0', '1.1']);
    });

    it('pushes an index after its children and reads it as an index', async () => {
      const image = await pushBuilt(client, 'ops/multi', 'all', { seed: 12, platforms: TWO_PLATFORMS });
      const index = await client.getManifest('ops/multi', 'all');
      expect(index.mediaType).toBe(OCI_IMAGE_INDEX);
      expect(index.digest).toBe(image.root.digest);
      expect(index.json.manifests?.map((child) => child.platform?.architecture)).toEqual(['amd64', 'arm64']);
    });

    it('answers a missing manifest with the registry error code', async () => {
      const error = await client.getManifest('ops/app', 'nope').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RegistryError);
      expect(error).toMatchObject({ status: 404, code: 'MANIFEST_UNKNOWN' });
    });

    it('mounts a blob from another repository, and falls back to an upload when the source lacks it', async () => {
      const bytes = bytesOf(5000, 5);
      const digest = await digestOf(bytes);
      await client.pushBlob('ops/mount-src', bytes, { digest });
      expect(await client.mountBlob('ops/mount-dst', digest, 'ops/mount-src')).toBe(true);
      expect(await client.headBlob('ops/mount-dst', digest)).toEqual({ digest, size: 5000 });
      const other = bytesOf(4000, 6);
      const otherDigest = await digestOf(other);
      expect(await client.mountBlob('ops/mount-dst', otherDigest, 'ops/mount-src')).toBe(false);
      expect(await client.pushBlob('ops/mount-dst', other, { digest: otherDigest, mountFrom: 'ops/mount-src' })).toMatchObject({ mounted: false, size: 4000 });
      const again = await client.pushBlob('ops/mount-third', () => Promise.reject(new Error('a mount must not read the source')), { digest, mountFrom: 'ops/mount-src' });
      expect(again.mounted).toBe(true);
    });

    it('lists the catalog, page by page when asked', async () => {
      const all = await collect(client.catalog());
      expect(all).toEqual(expect.arrayContaining(['ops/app', 'ops/multi']));
      expect(new Set(all).size).toBe(all.length);
      expect(await collect(client.catalog({ pageSize: 1 }))).toEqual(all);
    });

    it('finds referrers through the API or the fallback tag', async () => {
      const subject = await client.getManifest('ops/app', '1.0');
      const empty = new TextEncoder().encode('{}');
      await client.pushBlob('ops/app', empty, { digest: await digestOf(empty) });
      const artifact = {
        schemaVersion: 2,
        mediaType: OCI_IMAGE_MANIFEST,
        artifactType: 'application/vnd.example.sbom',
        config: { mediaType: OCI_EMPTY, digest: await digestOf(empty), size: 2 },
        layers: [{ mediaType: OCI_EMPTY, digest: await digestOf(empty), size: 2 }],
        subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
      };
      const bytes = new TextEncoder().encode(JSON.stringify(artifact));
      const { digest } = await client.putManifest('ops/app', await digestOf(bytes), { mediaType: OCI_IMAGE_MANIFEST, bytes });
      const found = await client.referrers('ops/app', subject.digest);
      expect(found).toEqual([expect.objectContaining({ digest, artifactType: 'application/vnd.example.sbom' })]);
      expect(await client.referrers('ops/app', subject.digest, { artifactType: 'application/other' })).toEqual([]);
      expect(await client.referrers('ops/app', (await client.getManifest('ops/multi', 'all')).digest)).toEqual([]);
    });

    it('copies an index within the registry by mounting its blobs', async () => {
      const result = await client.copy({ repository: 'ops/multi', reference: 'all' }, { repository: 'ops/multi-copy', reference: 'copied' });
      expect(result.blobs).toEqual({ uploaded: 0, mounted: 4, skipped: 0 });
      expect(result.digest).toBe((await client.getManifest('ops/multi', 'all')).digest);
      expect((await client.getManifest('ops/multi-copy', 'copied')).digest).toBe(result.digest);
    });

    it('deletes a blob, a manifest by digest (its tags go too), and a tag where the registry allows it', async () => {
      const bytes = bytesOf(700, 7);
      const digest = await digestOf(bytes);
      await client.pushBlob('ops/delete', bytes, { digest });
      await client.deleteBlob('ops/delete', digest);
      expect(await client.headBlob('ops/delete', digest)).toBeUndefined();

      const image = await pushBuilt(client, 'ops/delete', 'gone', { seed: 13 });
      await client.deleteManifest('ops/delete', image.root.digest);
      await expect(client.getManifest('ops/delete', 'gone')).rejects.toMatchObject({ status: 404, code: 'MANIFEST_UNKNOWN' });
      await expect(client.deleteManifest('ops/delete', image.root.digest)).rejects.toMatchObject({ status: 404 });

      await pushBuilt(client, 'ops/delete', 'tag-only', { seed: 14 });
      const deleting = client.deleteTag('ops/delete', 'tag-only');
      if (target.deletesTags) {
        await deleting;
        expect(await client.headManifest('ops/delete', 'tag-only')).toBeUndefined();
      } else {
        await expect(deleting).rejects.toBeInstanceOf(UnsupportedError);
        expect(await client.headManifest('ops/delete', 'tag-only')).toBeDefined();
      }
    });

    it('hashes streams with node:crypto from the node entry, with the same results', async () => {
      const nodeClient = createRegistryClient({ baseUrl: target.url, sha256: nodeSha256 });
      const image = partsOf((await import('./images.js')).buildImage({ seed: 15 }));
      const blob = image.blobs[0] as { digest: string; bytes: Uint8Array };
      await nodeClient.pushBlob('ops/node', streamOf(blob.bytes), { chunkSize: 1000 });
      expect(await streamText((await nodeClient.getBlob('ops/node', blob.digest)).body)).toEqual(new Uint8Array(blob.bytes));
    });
  });
}
