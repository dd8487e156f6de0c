import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OCI_EMPTY, OCI_IMAGE_MANIFEST } from '@regevents/types';
import { buildImage, requirePeers, skopeo, skopeoCopy, writeOciLayout, type CaptureListener } from '@regevents/registry-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryClient, digestOf, type CopyProgress, type RegistryClient } from '../src/index.js';
import { startNotifyingRegistry, type Target } from './targets.js';

const peers = requirePeers('docker-registry', 'skopeo');
const USER_AGENT = 'regevents-replicator-test/1.0';

interface SeenEvent {
  action: string;
  target: { repository: string; mediaType?: string; digest?: string; tag?: string; fromRepository?: string };
  request: { useragent?: string; method?: string };
}

function eventsOf(listener: CaptureListener, from = 0): SeenEvent[] {
  return listener.deliveries.slice(from).flatMap((delivery) => (JSON.parse(delivery.body.toString('utf8')) as { events: SeenEvent[] }).events);
}

async function rawManifest(host: string, reference: string): Promise<string> {
  const { stdout } = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${host}/${reference}`]);
  return stdout;
}

const isBlob = (event: SeenEvent) => event.target.mediaType === 'application/octet-stream';

describe.skipIf(!peers.available)('copy of a multi-arch index between two real registries', () => {
  let source: { target: Target; listener: CaptureListener };
  let mirror: { target: Target; listener: CaptureListener };
  let a: RegistryClient;
  let b: RegistryClient;
  let workDir: string;
  const image = buildImage({ seed: 51, layers: 2, layerBytes: 64 * 1024, platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }] });

  beforeAll(async () => {
    [source, mirror] = await Promise.all([startNotifyingRegistry(), startNotifyingRegistry()]);
    workDir = await mkdtemp(join(tmpdir(), 'client-copy-'));
    await skopeoCopy(await writeOciLayout(join(workDir, 'image'), image, '1.0'), `docker://${source.target.host}/app:1.0`, { all: true });
    a = createRegistryClient({ baseUrl: source.target.url, userAgent: USER_AGENT });
    b = createRegistryClient({ baseUrl: mirror.target.url, userAgent: USER_AGENT, concurrency: 3 });
    await source.listener.settle(500);
  });
  afterAll(async () => {
    await source?.target.stop();
    await mirror?.target.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('pushes every blob, the children and then the index, with the source digests; reads carry the client User-Agent', async () => {
    const progress: CopyProgress[] = [];
    const sourceFrom = source.listener.deliveries.length;
    const result = await a.copy({ repository: 'app', reference: '1.0' }, { client: b, repository: 'mirror/app' }, { onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ digest: image.root.digest, blobs: { uploaded: 6, mounted: 0, skipped: 0 }, manifests: { pushed: 3, skipped: 0 } });
    // Read before skopeo inspects the source: its own pulls carry skopeo's User-Agent.
    await source.listener.settle(500);
    const pulls = eventsOf(source.listener, sourceFrom).filter((event) => event.action === 'pull');
    expect(pulls).toHaveLength(9);
    expect(new Set(pulls.map((event) => event.request.useragent))).toEqual(new Set([USER_AGENT]));

    const sourceRaw = await rawManifest(source.target.host, 'app:1.0');
    expect(await rawManifest(mirror.target.host, 'mirror/app:1.0')).toBe(sourceRaw);
    expect(await digestOf(new TextEncoder().encode(sourceRaw))).toBe(image.root.digest);
    for (const child of (JSON.parse(sourceRaw) as { manifests: { digest: string }[] }).manifests) {
      expect(await rawManifest(mirror.target.host, `mirror/app@${child.digest}`)).toBe(await rawManifest(source.target.host, `app@${child.digest}`));
    }

    const last = progress.at(-1) as CopyProgress;
    expect(last).toMatchObject({ blobsDone: 6, blobsTotal: 6, manifestsDone: 3, manifestsTotal: 3 });
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(progress.map((p) => p.bytesDone)).toEqual([...progress.map((p) => p.bytesDone)].sort((x, y) => x - y));

    await mirror.listener.settle(500);
    const pushes = eventsOf(mirror.listener).filter((event) => event.action === 'push');
    const firstManifest = pushes.findIndex((event) => !isBlob(event));
    expect(pushes.filter(isBlob)).toHaveLength(6);
    expect(pushes.slice(firstManifest).every((event) => !isBlob(event))).toBe(true);
    expect(pushes.at(-1)?.target).toMatchObject({ digest: image.root.digest, tag: '1.0' });
  });

  it('uploads nothing on a second copy (the target has every blob and child)', async () => {
    const from = mirror.listener.deliveries.length;
    const result = await a.copy({ repository: 'app', reference: '1.0' }, { client: b, repository: 'mirror/app' });
    expect(result).toMatchObject({ blobs: { uploaded: 0, mounted: 0, skipped: 6 }, manifests: { pushed: 1, skipped: 2 }, bytesUploaded: 0 });
    await mirror.listener.settle(500);
    const events = eventsOf(mirror.listener, from);
    expect(events.filter((event) => event.action === 'push' && isBlob(event))).toEqual([]);
    expect(events.filter((event) => event.action === 'push')).toHaveLength(1);
  });

  it('mounts within the target registry (mount events, no blob pushes)', async () => {
    const from = mirror.listener.deliveries.length;
    const result = await b.copy({ repository: 'mirror/app', reference: '1.0' }, { repository: 'other/app' });
    expect(result.blobs).toEqual({ uploaded: 0, mounted: 6, skipped: 0 });
    await mirror.listener.settle(500);
    const events = eventsOf(mirror.listener, from);
    expect(events.filter((event) => event.action === 'mount').map((event) => event.target.fromRepository)).toEqual(Array(6).fill('mirror/app'));
    expect(events.filter((event) => event.action === 'push' && isBlob(event))).toEqual([]);
  });

  it('copies chosen platforms only, into a rewritten index', async () => {
    const result = await a.copy({ repository: 'app', reference: '1.0' }, { client: b, repository: 'arm/app', reference: 'arm' }, { platforms: [{ os: 'linux', architecture: 'arm64' }] });
    expect(result.blobs.uploaded).toBe(3);
    const index = await b.getManifest('arm/app', 'arm');
    expect(index.digest).toBe(result.digest);
    expect(index.digest).not.toBe(image.root.digest);
    expect(index.json.manifests?.map((child) => child.platform?.architecture)).toEqual(['arm64']);
  });

  it('copies referrers after their subject, kept in the fallback tag on 2.8.2', async () => {
    const empty = new TextEncoder().encode('{}');
    const emptyDigest = await digestOf(empty);
    await a.pushBlob('app', empty, { digest: emptyDigest });
    const subject = await a.getManifest('app', '1.0');
    const signature = new TextEncoder().encode(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_IMAGE_MANIFEST,
        artifactType: 'application/vnd.example.signature',
        config: { mediaType: OCI_EMPTY, digest: emptyDigest, size: 2 },
        layers: [{ mediaType: OCI_EMPTY, digest: emptyDigest, size: 2 }],
        subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
      }),
    );
    const { digest } = await a.putManifest('app', await digestOf(signature), { mediaType: OCI_IMAGE_MANIFEST, bytes: signature });
    await a.copy({ repository: 'app', reference: '1.0' }, { client: b, repository: 'signed/app' }, { referrers: true });
    expect((await b.referrers('signed/app', subject.digest)).map((descriptor) => descriptor.digest)).toEqual([digest]);
  });

  it('stops when its signal is aborted, before the root manifest is pushed', async () => {
    const controller = new AbortController();
    const copying = a.copy({ repository: 'app', reference: '1.0' }, { client: b, repository: 'aborted/app' }, {
      signal: controller.signal,
      onProgress: (p) => p.blobsDone === 1 && controller.abort(new Error('operator cancelled')),
    });
    await expect(copying).rejects.toThrow('operator cancelled');
    expect(await b.headManifest('aborted/app', '1.0')).toBeUndefined();
  });
});
