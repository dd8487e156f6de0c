import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseTar } from 'nanotar';
import { describe, expect, it } from 'vitest';
import { buildImage, OCI_INDEX, OCI_MANIFEST, requirePeers, skopeo, writeOciLayout } from '../src/index.js';

const text = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes));

describe('buildImage', () => {
  it('builds a manifest whose blobs exist and match their digests', () => {
    const image = buildImage({ seed: 7, layers: 2, layerBytes: 100 });
    expect(image.root.mediaType).toBe(OCI_MANIFEST);
    for (const [digest, bytes] of image.blobs) expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(digest);
    const manifest = text(image.blobs.get(image.root.digest));
    expect(manifest.layers).toHaveLength(2);
    const layer = image.blobs.get(manifest.layers[0].digest) as Uint8Array;
    const [file] = parseTar(gunzipSync(layer));
    expect(file?.name).toBe('layer-0/data.bin');
    expect(file?.size).toBe(100);
    const config = text(image.blobs.get(manifest.config.digest));
    expect(config.rootfs.diff_ids).toHaveLength(2);
  });

  it('is deterministic per seed and differs between seeds', () => {
    expect(buildImage({ seed: 1 }).root.digest).toBe(buildImage({ seed: 1 }).root.digest);
    expect(buildImage({ seed: 1 }).root.digest).not.toBe(buildImage({ seed: 2 }).root.digest);
  });

  it('builds an index with one manifest per platform', () => {
    const platforms = [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }];
    const image = buildImage({ seed: 3, platforms });
    expect(image.root.mediaType).toBe(OCI_INDEX);
    const index = text(image.blobs.get(image.root.digest));
    expect(index.manifests.map((m: { platform: unknown }) => m.platform)).toEqual(platforms);
    for (const child of index.manifests) expect(image.blobs.has(child.digest)).toBe(true);
  });
});

const peers = requirePeers('skopeo');
describe.skipIf(!peers.available)(`writeOciLayout ${peers.reason}`, () => {
  it('writes a layout skopeo reads', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'regevents-layout-'));
    try {
      const image = buildImage({ seed: 5 });
      const reference = await writeOciLayout(join(dir, 'img'), image, 'v1');
      const { stdout } = await skopeo(['inspect', '--raw', reference]);
      expect(JSON.parse(stdout)).toEqual(text(image.blobs.get(image.root.digest)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
