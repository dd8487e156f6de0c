import { join } from 'node:path';
import { buildImage, endpointMetrics, freePort, queueDrained, registryConfig, requirePeers, serveOnLoopback, skopeoCopy, skopeoDelete, startRegistry, writeOciLayout, type RunningRegistry } from '@regevents/registry-harness';
import { validateEvent } from '@regevents/schemas';
import type { Event } from '@regevents/types';
import { describe, expect, it } from 'vitest';
import { createRegistryClient } from '@regevents/registry-client';
import { createRedisLog, createRelay, reconcile, RECONCILE_USER_AGENT, type LogEntry, type Relay } from '../src/index.js';
import { freshStream, registryRequest, TOKEN, until, useRedis, useWorkDir, type RedisClient } from './helpers.js';

const peers = requirePeers('docker-registry', 'skopeo', 'redis-server');


/** A registry on `storageDir` (kept over restarts) notifying the relay on `relayPort`. */
function startRegistryOn(storageDir: string, relayPort: number): Promise<RunningRegistry> {
  const endpoint = { name: 'relay', url: `http://127.0.0.1:${relayPort}/events`, headers: { Authorization: [`Bearer ${TOKEN}`] }, timeout: '1s', threshold: 3, backoff: '200ms' };
  return startRegistry({ config: (base) => registryConfig({ ...base, storageDir, notifications: { endpoints: [endpoint] } }) });
}

/** The relay's receiver on `port`, until `close`. */
async function serveRelay(client: RedisClient, stream: string, port: number): Promise<{ relay: Relay; close: () => Promise<void> }> {
  const relay = createRelay({ log: createRedisLog({ client, stream }), auth: { bearer: TOKEN } });
  relay.onError(() => undefined);
  const { close } = await serveOnLoopback(relay.node, { port });
  return { relay, close };
}

async function entries(relay: Relay): Promise<LogEntry[]> {
  const found: LogEntry[] = [];
  for await (const entry of relay.replay({ from: 'beginning' })) found.push(entry);
  return found;
}

/** `repository:tag@digest` of every manifest push by tag and `repository:tag deleted` of every tag delete: what changes tags. */
function tagChanges(list: LogEntry[]): string[] {
  return list.flatMap(({ record }) => {
    const event = record.event as Event;
    const target = event.target as { repository: string; tag?: string; digest?: string; mediaType?: string };
    if (!target.tag) return [];
    if (event.action === 'push' && target.mediaType !== 'application/octet-stream') return [`${target.repository}:${target.tag}@${target.digest}`];
    if (event.action === 'delete' && !target.digest) return [`${target.repository}:${target.tag} deleted`];
    return [];
  });
}

let seed = 7000;

async function push(dir: string, registry: RunningRegistry, reference: string): Promise<string> {
  const image = buildImage({ seed: ++seed, layers: 1, layerBytes: 256 });
  await skopeoCopy(await writeOciLayout(join(dir, `image-${seed}`), image, 'v'), `docker://${registry.host}/${reference}`);
  return image.root.digest;
}

describe.skipIf(!peers.available)('reconcile: docker-registry 2.8.2, redis-server', () => {
  const started = useRedis();
  const scratch = useWorkDir('regevents-relay-reconcile-');

  it('pushes and deletes made while the relay was down and the registry restarted (its queue lost) become one synthetic event per changed tag; a second run appends nothing', async () => {
    const stream = freshStream();
    const relayPort = await freePort();
    const storage = join(scratch.path, 'lost-storage');
    let registry = await startRegistryOn(storage, relayPort);
    let receiver = await serveRelay(started.client, stream, relayPort);
    try {
      const keep = await push(scratch.path, registry, 'app:keep');
      await push(scratch.path, registry, 'app:move');
      await push(scratch.path, registry, 'app:gone');
      const stay = await push(scratch.path, registry, 'other/app:stay');
      await queueDrained(registry.debugUrl, 'relay', 20_000);
      await until(async () => tagChanges(await entries(receiver.relay)).length === 4, 'the first pushes to reach the log', 20_000, 100);
      // the state the relay kept as those events passed matches the registry: nothing to append
      expect(await reconcile({ client: { baseUrl: registry.url }, relay: receiver.relay })).toMatchObject({ pushed: 0, deleted: 0, tags: 4 });

      await receiver.close();
      const moved = await push(scratch.path, registry, 'app:move');
      const added = await push(scratch.path, registry, 'app:new');
      const fresh = await push(scratch.path, registry, 'fresh/repo:1');
      await skopeoDelete(`docker://${registry.host}/app:gone`);
      expect((await endpointMetrics(registry.debugUrl, 'relay')).Pending).toBeGreaterThan(0);
      await registry.stop();
      registry = await startRegistryOn(storage, relayPort);
      expect(await endpointMetrics(registry.debugUrl, 'relay')).toMatchObject({ Pending: 0, Events: 0, Successes: 0 }); // the queue is gone

      receiver = await serveRelay(started.client, stream, relayPort);
      const before = (await entries(receiver.relay)).length;
      // app:move and app:gone changed since their last real events, seconds ago (less on a fast machine than the default window): no window here
      const result = await reconcile({ client: { baseUrl: registry.url }, relay: receiver.relay, concurrency: 3, settleMs: 0 });
      expect(result).toMatchObject({ repositories: 3, tags: 5, pushed: 3, deleted: 1 });

      const after = (await entries(receiver.relay)).slice(before);
      expect(tagChanges(after).sort()).toEqual([`app:gone deleted`, `app:move@${moved}`, `app:new@${added}`, `fresh/repo:1@${fresh}`].sort());
      const synthetic = after.filter((entry) => entry.record.origin === 'reconcile');
      expect(synthetic).toHaveLength(4);
      for (const { record } of synthetic) expect(validateEvent(record.event).ok).toBe(true);
      expect(tagChanges(after).join()).not.toMatch(new RegExp(`${keep}|${stay}`));

      // the HEADs were pull events: they reach the log once the registry sends them, with reconciliation's User-Agent
      const second = await reconcile({ client: { baseUrl: registry.url }, relay: receiver.relay });
      expect(second).toMatchObject({ pushed: 0, deleted: 0, tags: 5 });
      await queueDrained(registry.debugUrl, 'relay', 20_000);
      const all = (await entries(receiver.relay)).slice(before);
      expect(tagChanges(all)).toHaveLength(4);
      const pulls = all.filter(({ record }) => (record.event as Event).action === 'pull');
      expect(pulls.length).toBeGreaterThanOrEqual(10); // two runs, five tags each
      expect(new Set(pulls.map(({ record }) => (record.event as Event).request.useragent))).toEqual(new Set([RECONCILE_USER_AGENT]));
    } finally {
      await receiver.close();
      await registry.stop();
    }
  }, 90_000);

  it('a late real event for a change reconciliation recorded is kept in the log and not dispatched again; one repository alone with scope', async () => {
    const stream = freshStream();
    const relayPort = await freePort();
    const registry = await startRegistryOn(join(scratch.path, 'late-storage'), relayPort);
    let receiver = await serveRelay(started.client, stream, relayPort);
    try {
      await push(scratch.path, registry, 'late/app:1');
      await until(async () => tagChanges(await entries(receiver.relay)).length === 1, 'the first push to reach the log', 20_000, 100);
      await receiver.close();
      // the relay is down and the registry keeps its queue: reconciliation (from the log alone) gets there first
      const digest = await push(scratch.path, registry, 'late/app:2');
      await push(scratch.path, registry, 'untouched/app:1');
      const log = createRelay({ log: createRedisLog({ client: started.client, stream }), auth: { unauthenticated: true } });
      expect(await reconcile({ client: { baseUrl: registry.url }, relay: log, scope: 'late/app' })).toMatchObject({ repositories: 1, tags: 2, pushed: 1, deleted: 0 });

      receiver = await serveRelay(started.client, stream, relayPort);
      await queueDrained(registry.debugUrl, 'relay', 20_000);
      const changes = (await entries(receiver.relay)).filter((entry) => tagChanges([entry]).includes(`late/app:2@${digest}`));
      expect(changes.map((entry) => [entry.record.origin, entry.record.reconciled])).toEqual([
        ['reconcile', undefined],
        [undefined, true],
      ]);

      const built: string[] = [];
      const ci = receiver.relay.consumer('ci', { start: 'beginning' });
      ci.on('push:manifest', (event) => void built.push(`${event.target.repository}:${event.target.tag}`));
      await ci.start();
      await ci.idle();
      await ci.stop();
      expect(built.sort()).toEqual(['late/app:1', 'late/app:2', 'untouched/app:1']);
    } finally {
      await receiver.close();
      await registry.stop();
    }
  }, 90_000);
  /**
   * docker-registry sends a push by tag once the manifest is stored and links the tag after it (two
   * files, each fsynced). Here the two halves of such a PUT are split, as the registry's own order:
   * the manifest by digest, then the push event by tag the registry sends for it (its manifest push
   * with the tag), then, after the reconciliation between them, the tag.
   */
  it('a reconciliation between a push event and the tag link the registry writes after it appends no delete; once settleMs has passed, a tag never linked is deleted', async () => {
    const stream = freshStream();
    const relayPort = await freePort();
    const registry = await startRegistryOn(join(scratch.path, 'order-storage'), relayPort);
    const receiver = await serveRelay(started.client, stream, relayPort);
    const client = createRegistryClient({ baseUrl: registry.url });
    const reconcileOne = (scope: string, settleMs?: number) => reconcile({ client: { baseUrl: registry.url }, relay: receiver.relay, scope, ...(settleMs === undefined ? {} : { settleMs }) });
    const synthetic = async () => (await entries(receiver.relay)).filter((entry) => entry.record.origin === 'reconcile');

    /** Stores an image's manifest by digest only; appends the push by `tag` the registry sends before it links the tag. */
    async function pushEventBeforeTagLink(repository: string, tag: string) {
      const image = buildImage({ seed: ++seed, layers: 1, layerBytes: 256 });
      for (const [digest, bytes] of image.blobs) if (digest !== image.root.digest) await client.pushBlob(repository, bytes, { digest });
      const manifest = { mediaType: image.root.mediaType, bytes: image.blobs.get(image.root.digest) as Uint8Array };
      await client.putManifest(repository, image.root.digest, manifest);
      const isManifestPush = ({ record }: LogEntry) => (record.event as Event).action === 'push' && (record.event as Event).target.digest === image.root.digest;
      await until(async () => (await entries(receiver.relay)).some(isManifestPush), 'the manifest push to reach the log', 20_000, 100);
      const stored = (await entries(receiver.relay)).find(isManifestPush)?.record.event as Event;
      const byTag = { ...stored, id: crypto.randomUUID(), target: { ...stored.target, tag } };
      expect((await receiver.relay.fetch(registryRequest(JSON.stringify({ events: [byTag] })))).ok).toBe(true);
      return { digest: image.root.digest, linkTag: () => client.putManifest(repository, tag, manifest) };
    }

    try {
      const linked = await pushEventBeforeTagLink('order/app', '1.0');
      expect(await reconcileOne('order/app')).toMatchObject({ tags: 0, pushed: 0, deleted: 0, settling: 1 });
      await linked.linkTag();
      expect(await reconcileOne('order/app')).toMatchObject({ tags: 1, pushed: 0, deleted: 0, settling: 0 });
      expect(await synthetic()).toEqual([]);

      // the same, and the registry never links the tag: once the push has settled, the tag is gone
      const never = await pushEventBeforeTagLink('order/never', '1.0');
      // a short window, waited for on Redis's clock (the age it gives), with room to spare: the
      // reconciliation takes off the time from its tag list's start to its state read, replies included
      const settleMs = 300;
      const age = async () => (await receiver.relay.log.tagState.tagsWithAges?.('order/never'))?.ages.get('1.0') ?? 0;
      await until(async () => (await age()) >= settleMs + 500, 'the push to age well past settleMs on the log\'s clock', 20_000, 50);
      expect(await reconcileOne('order/never', settleMs)).toMatchObject({ tags: 0, pushed: 0, deleted: 1, settling: 0 });
      const deletions = await synthetic();
      expect(tagChanges(deletions)).toEqual(['order/never:1.0 deleted']);
      expect(deletions[0]?.record.deletedDigest).toBe(never.digest);
    } finally {
      await receiver.close();
      await registry.stop();
    }
  }, 90_000);
});
