import { gunzipSync } from 'node:zlib';
import { parseTar } from 'nanotar';
import { expect, it } from 'vitest';
import { blobsOf, createImage, digestOf } from '../src/index.js';

it('builds valid images: gzip tar layers whose diff_ids are in the config, and an index per platform', async () => {
  const index = await createImage({ layers: [{ files: { 'etc/hello': 'hi' } }, {}], platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }] });
  if (index.kind !== 'index') throw new Error('expected an index');
  const indexJson = JSON.parse(new TextDecoder().decode(index.manifest.bytes)) as { manifests: { digest: string; platform: { architecture: string } }[] };
  expect(indexJson.manifests.map((m) => [m.digest, m.platform.architecture])).toEqual(index.images.map((image) => [image.manifest.digest, image.manifest.platform?.architecture]));
  for (const image of index.images) {
    const config = JSON.parse(new TextDecoder().decode(image.config.bytes)) as { rootfs: { diff_ids: string[] } };
    const tars = image.layers.map((layer) => gunzipSync(layer.bytes));
    expect(config.rootfs.diff_ids).toEqual(tars.map((tar) => digestOf(tar)));
    expect(parseTar(tars[0] as Uint8Array).map((file) => [file.name, file.text])).toEqual([['etc/hello', 'hi']]);
    for (const blob of [image.config, image.manifest, ...image.layers]) expect(digestOf(blob.bytes)).toBe(blob.digest);
  }
  expect(blobsOf(index)).toHaveLength(index.images.length * 3 - 1); // the two images share the 'etc/hello' layer
  const docker = await createImage({ format: 'docker' });
  expect(docker.manifest.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
});
