import { buildImage, requirePeers, startRegistry, type CaptureListener, type RunningRegistry } from '@regevents/registry-harness';
import { createRegistryClient, type RegistryClient } from '@regevents/registry-client';
import type { Event } from '@regevents/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPolicies, createReplicator, REPLICATION_USER_AGENT, type JobView, type Replicator } from '../src/index.js';
import { eventsOf, eventually, startNotifying, type SeenEvent } from './peers.js';
import { pushBuilt } from './push.js';

const peers = requirePeers('docker-registry');

/**
 * docker-registry sends a push by tag once the manifest is stored and links the tag after it (two
 * files, each fsynced): on a busy disk the job the event makes can look for the tag before it is
 * there. Here the two halves of such a PUT are split: the manifest by digest, then the tag.
 */
describe.skipIf(!peers.available)('a push event that reaches the replicator before the source linked its tag', () => {
  let source: { registry: RunningRegistry; listener: CaptureListener };
  let target: RunningRegistry;
  let sourceClient: RegistryClient;
  let targetClient: RegistryClient;
  let replicator: Replicator;
  let seed = 700;

  beforeAll(async () => {
    [source, target] = await Promise.all([startNotifying(), startRegistry()]);
    sourceClient = createRegistryClient({ baseUrl: source.registry.url });
    targetClient = createRegistryClient({ baseUrl: target.url });
    const { policies, diagnostics } = checkPolicies([{ name: 'mirror', source: { registry: source.registry.url }, targets: [{ name: 'dc2', registry: target.url }] }]);
    expect(diagnostics).toEqual([]);
    replicator = createReplicator({ policies });
    await replicator.start({ catchUp: false });
  });

  afterAll(async () => {
    await replicator?.close();
    await Promise.all([source?.registry.stop(), target?.stop()]);
    await source?.listener.close();
  });

  /** Stores an image's manifest by digest only, and answers the push event the registry sends for a PUT of it by `tag`. */
  async function storeUntagged(repository: string, tag: string) {
    const image = buildImage({ seed: seed++, layers: 1 });
    await pushBuilt(sourceClient, repository, image.root.digest, image);
    const stored = await eventually(async () => {
      const found = eventsOf(source.listener).find((event) => event.action === 'push' && event.target.digest === image.root.digest);
      expect(found).toBeDefined();
      return found as SeenEvent;
    });
    const event = { ...stored, id: `${stored.id}-by-tag`, target: { ...stored.target, tag } } as unknown as Event;
    return { image, event };
  }

  const jobNamed = async (id: string) => (await replicator.jobs()).find((job) => job.id === id);
  const finished = (id: string) =>
    eventually(async () => {
      const job = await jobNamed(id);
      expect(job?.state).toBe('completed');
      return job as JobView;
    });

  it('waits for the tag while the pushed manifest is on the source, then copies it', async () => {
    const { image, event } = await storeUntagged('team/app', '1.0');
    const [id] = await replicator.handle(event);
    // the job has found the tag missing once it asks for the pushed manifest by digest (a pull event)
    await eventually(async () => {
      const lookedUp = eventsOf(source.listener).some((seen) => seen.action === 'pull' && seen.target.digest === image.root.digest && seen.request.useragent === REPLICATION_USER_AGENT);
      expect(lookedUp || (await jobNamed(id as string))?.state === 'completed').toBe(true);
    });
    await sourceClient.putManifest('team/app', '1.0', { mediaType: image.root.mediaType, bytes: image.blobs.get(image.root.digest) as Uint8Array });

    expect((await finished(id as string)).result).toMatchObject({ outcome: 'copied', digest: image.root.digest });
    expect((await targetClient.headManifest('team/app', '1.0'))?.digest).toBe(image.root.digest);
  });

  it('ends in source-gone, copying nothing, when the pushed manifest is gone from the source too', async () => {
    const { image, event } = await storeUntagged('team/gone', '1.0');
    await sourceClient.deleteManifest('team/gone', image.root.digest);
    const [id] = await replicator.handle(event);

    expect((await finished(id as string)).result).toEqual({ outcome: 'source-gone' });
    expect(await targetClient.headManifest('team/gone', '1.0')).toBeUndefined();
  });
});
