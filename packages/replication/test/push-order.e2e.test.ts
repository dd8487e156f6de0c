import { buildImage, requirePeers, startRegistry, type BuiltImage, type CaptureListener, type RunningRegistry } from '@regevents/registry-harness';
import { createRegistryClient, type RegistryClient } from '@regevents/registry-client';
import type { Event } from '@regevents/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPolicies, createReplicator, type JobView, type Replicator } from '../src/index.js';
import { eventsOf, eventually, startNotifying, type SeenEvent } from './peers.js';
import { pushBuilt } from './push.js';

const peers = requirePeers('docker-registry');

/**
 * docker-registry sends a push by tag once the manifest is stored and links the tag after it (two
 * files, each fsynced): on a busy disk the job the event makes can look for the tag before it is
 * there. Here the two halves of such a PUT are split: the manifest by digest, then the tag. What
 * the job asks the source is seen in its client's fetch, not in the registry's notifications.
 */
describe.skipIf(!peers.available)('a push event that reaches the replicator before the source linked its tag', () => {
  let source: { registry: RunningRegistry; listener: CaptureListener };
  let target: RunningRegistry;
  let sourceClient: RegistryClient;
  let targetClient: RegistryClient;
  let replicator: Replicator;
  let seed = 700;
  /** The replicator's manifest HEADs on the source, as `repository:reference`. */
  const sourceHeads: string[] = [];
  /** Runs before such a HEAD is sent on. */
  let beforeSourceHead = async (_repository: string, _reference: string) => undefined;
  const watchingFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (manifest && init?.method === 'HEAD' && url.origin === new URL(source.registry.url).origin) {
      const [repository, reference] = [manifest[1] as string, decodeURIComponent(manifest[2] as string)];
      sourceHeads.push(`${repository}:${reference}`);
      await beforeSourceHead(repository, reference);
    }
    return fetch(input, init);
  };
  const headsIn = (repository: string) => sourceHeads.filter((head) => head.startsWith(`${repository}:`)).map((head) => head.slice(repository.length + 1));

  beforeAll(async () => {
    [source, target] = await Promise.all([startNotifying(), startRegistry()]);
    sourceClient = createRegistryClient({ baseUrl: source.registry.url });
    targetClient = createRegistryClient({ baseUrl: target.url });
    const { policies, diagnostics } = checkPolicies([{ name: 'mirror', source: { registry: source.registry.url }, targets: [{ name: 'dc2', registry: target.url }] }]);
    expect(diagnostics).toEqual([]);
    replicator = createReplicator({ policies, clients: { clientOptions: { fetch: watchingFetch } } });
    await replicator.start({ catchUp: false });
  });

  afterAll(async () => {
    await replicator?.close();
    await Promise.all([source?.registry.stop(), target?.stop()]);
    await source?.listener.close();
  });

  /**
   * Stores an image's manifest by digest only, and answers the push event the registry sends for a
   * PUT of it by `tag`, stamped `timestamp` (when the registry sends it: by default now).
   */
  async function storeUntagged(repository: string, tag: string, timestamp = new Date()) {
    const image = buildImage({ seed: seed++, layers: 1 });
    await pushBuilt(sourceClient, repository, image.root.digest, image);
    const stored = await eventually(async () => {
      const found = eventsOf(source.listener).find((event) => event.action === 'push' && event.target.digest === image.root.digest);
      expect(found).toBeDefined();
      return found as SeenEvent;
    });
    const event = { ...stored, id: `${stored.id}-by-tag`, timestamp: timestamp.toISOString(), target: { ...stored.target, tag } } as unknown as Event;
    return { image, event };
  }

  const jobNamed = async (id: string) => (await replicator.jobs()).find((job) => job.id === id);
  const finished = (id: string) =>
    eventually(async () => {
      const job = await jobNamed(id);
      expect(job?.state).toBe('completed');
      return job as JobView;
    });

  /** What the registry does last for a PUT by tag: the tag now names the stored manifest. */
  const linkTag = (repository: string, tag: string, image: BuiltImage) => sourceClient.putManifest(repository, tag, { mediaType: image.root.mediaType, bytes: image.blobs.get(image.root.digest) as Uint8Array });

  it('waits for the tag while the pushed manifest is on the source, then copies it', async () => {
    const { image, event } = await storeUntagged('team/app', '1.0');
    // the job asks for the pushed manifest only once it has found the tag missing: the tag is linked then
    beforeSourceHead = async (_, reference) => void (reference === image.root.digest && (await linkTag('team/app', '1.0', image)));
    const [id] = await replicator.handle(event);

    expect((await finished(id as string)).result).toMatchObject({ outcome: 'copied', digest: image.root.digest });
    expect(headsIn('team/app')).toEqual(['1.0', image.root.digest, '1.0']);
    expect((await targetClient.headManifest('team/app', '1.0'))?.digest).toBe(image.root.digest);
  });

  it('asks for the pushed manifest once, however many rounds the tag takes: one HEAD a round', async () => {
    const { image, event } = await storeUntagged('team/slow', '1.0');
    let tagHeads = 0;
    // linked as the job asks for the tag the third time, two pauses after it found it missing
    beforeSourceHead = async (repository, reference) => void (repository === 'team/slow' && reference === '1.0' && ++tagHeads === 3 && (await linkTag('team/slow', '1.0', image)));
    const [id] = await replicator.handle(event);

    expect((await finished(id as string)).result).toMatchObject({ outcome: 'copied', digest: image.root.digest });
    expect(headsIn('team/slow')).toEqual(['1.0', image.root.digest, '1.0', '1.0']);
  });

  it('ends in source-gone at once, copying nothing, when the pushed manifest is gone from the source too', async () => {
    const { image, event } = await storeUntagged('team/gone', '1.0');
    await sourceClient.deleteManifest('team/gone', image.root.digest);
    const [id] = await replicator.handle(event);

    expect((await finished(id as string)).result).toEqual({ outcome: 'source-gone' });
    // asked once for the tag and once for the manifest, never again: no wait
    expect(headsIn('team/gone')).toEqual(['1.0', image.root.digest]);
    expect(await targetClient.headManifest('team/gone', '1.0')).toBeUndefined();
  });

  it('does not wait for the tag of a push longer ago than the grace (its tag was deleted since)', async () => {
    const { event } = await storeUntagged('team/old', '1.0', new Date(Date.now() - 60_000));
    const [id] = await replicator.handle(event);

    expect((await finished(id as string)).result).toEqual({ outcome: 'source-gone' });
    expect(headsIn('team/old')).toEqual(['1.0']);
  });
});
