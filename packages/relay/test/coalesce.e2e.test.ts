import { join } from 'node:path';
import { buildImage, registryConfig, requirePeers, serveOnLoopback, skopeoCopy, startRegistry, writeOciLayout, type BuiltImage } from '@regevents/registry-harness';
import { describe, expect, it } from 'vitest';
import { createRegistryClient } from '@regevents/registry-client';
import { createRelay, type ImagePush } from '../src/index.js';
import { TOKEN, until, useWorkDir } from './helpers.js';

const peers = requirePeers('docker-registry', 'skopeo');

/** The layer and config blobs of a built image (its blobs less its manifests). */
function layersAndConfigs(image: BuiltImage): string[] {
  const root = JSON.parse(new TextDecoder().decode(image.blobs.get(image.root.digest))) as { manifests?: { digest: string }[] };
  const manifests = new Set([image.root.digest, ...(root.manifests ?? []).map((child) => child.digest)]);
  return [...image.blobs.keys()].filter((digest) => !manifests.has(digest)).sort();
}

describe.skipIf(!peers.available)('the coalesced view: skopeo pushes through docker-registry 2.8.2', () => {
  const scratch = useWorkDir('regevents-relay-coalesce-');

  it('one image.pushed per tagged manifest push (an image, an index with --all, a copy with mounts), with its blobs and platforms; blob events still reach their handlers', async () => {
    const relay = createRelay({ auth: { bearer: TOKEN } });
    const server = await serveOnLoopback(relay.node);
    const endpoint = { name: 'relay', url: `${server.origin}/events`, headers: { Authorization: [`Bearer ${TOKEN}`] }, timeout: '1s', threshold: 3, backoff: '200ms' };
    const registry = await startRegistry({ config: (base) => registryConfig({ ...base, notifications: { events: { includereferences: true }, endpoints: [endpoint] } }) });
    const images: ImagePush[] = [];
    const blobPushes: string[] = [];
    // 2.8.2's references name an index's children without their platforms: the view reads the index
    const client = createRegistryClient({ baseUrl: registry.url, userAgent: 'coalesce-test/1.0' });
    const view = relay.consumer('images', { coalesce: { client }, pollMs: 20 });
    view.on('image.pushed', (image) => void images.push(image));
    view.on('push:blob', (event) => void blobPushes.push(event.target.repository));
    await view.start();
    try {
      const single = buildImage({ seed: 41, layers: 2, layerBytes: 256 });
      await skopeoCopy(await writeOciLayout(join(scratch.path, 'single'), single, 'v'), `docker://${registry.host}/app:1`);
      const platforms = [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
      ];
      const index = buildImage({ seed: 42, layers: 1, layerBytes: 256, platforms });
      await skopeoCopy(await writeOciLayout(join(scratch.path, 'index'), index, 'v'), `docker://${registry.host}/multi:1`, { all: true });
      await skopeoCopy(`docker://${registry.host}/app:1`, `docker://${registry.host}/copy/app:2`);
      await until(() => images.length >= 3, 'three image pushes', 20_000, 50);
      await view.idle();

      expect(images.map(({ repository, tag, digest }) => [repository, tag, digest])).toEqual([
        ['app', '1', single.root.digest],
        ['multi', '1', index.root.digest],
        ['copy/app', '2', single.root.digest],
      ]);
      const [first, second, third] = images as [ImagePush, ImagePush, ImagePush];
      expect(first.blobs.sort()).toEqual(layersAndConfigs(single));
      expect(first.platforms).toBeUndefined();
      expect(second.mediaType).toBe(index.root.mediaType);
      expect(second.platforms?.map(({ os, architecture }) => `${os}/${architecture}`)).toEqual(['linux/amd64', 'linux/arm64']);
      expect(second.blobs.sort()).toEqual(layersAndConfigs(index));
      expect(third.blobs.sort()).toEqual(layersAndConfigs(single)); // mounted from app
      expect(blobPushes.filter((repository) => repository === 'app')).toHaveLength(layersAndConfigs(single).length);
      expect(blobPushes.filter((repository) => repository === 'multi')).toHaveLength(layersAndConfigs(index).length);
    } finally {
      await view.stop();
      await registry.stop();
      await server.close();
    }
  }, 90_000);
});
