import { join } from 'node:path';
import type { NormalizedRegistryEvent } from '@regevents/formats';
import { buildImage, registryConfig, requirePeers, serveOnLoopback, skopeoCopy, skopeoDelete, startRegistry, writeOciLayout } from '@regevents/registry-harness';
import { describe, expect, it } from 'vitest';
import { createMemoryLog, createRedisLog, createRelay, type RelayLog } from '../src/index.js';
import { freshStream, redisPeer, TOKEN, until, useRedis, useWorkDir } from './helpers.js';

const peers = requirePeers('docker-registry', 'skopeo');

describe.skipIf(!peers.available)('the enriched view: a tag deleted on docker-registry 2.8.2 (delete enabled)', () => {
  const scratch = useWorkDir('regevents-relay-enrich-');
  const redis = redisPeer.available ? useRedis() : undefined;

  /** skopeo pushes `app:1` and deletes it again; returns the pushed digest and the tag delete as the enriched view had it. */
  async function pushThenDelete(log: RelayLog, name: string): Promise<{ digest: string; deleted: NormalizedRegistryEvent; raw: { digest?: string } }> {
    const relay = createRelay({ log, auth: { bearer: TOKEN } });
    const server = await serveOnLoopback(relay.node);
    const endpoint = { name: 'relay', url: `${server.origin}/events`, headers: { Authorization: [`Bearer ${TOKEN}`] }, timeout: '1s', threshold: 3, backoff: '200ms' };
    const registry = await startRegistry({ config: (base) => registryConfig({ ...base, notifications: { endpoints: [endpoint] } }) });
    const deletes: NormalizedRegistryEvent[] = [];
    const raw: { digest?: string }[] = [];
    const consumer = relay.consumer('enriched', { enrich: {}, pollMs: 20 });
    consumer.on('delete:tag', (event) => void raw.push(event.target));
    consumer.on('enriched', (event) => void (event.kind === 'tag.deleted' && deletes.push(event)));
    await consumer.start();
    try {
      const image = buildImage({ seed: 61, layers: 1, layerBytes: 256 });
      await skopeoCopy(await writeOciLayout(join(scratch.path, name), image, 'v'), `docker://${registry.host}/app:1`);
      // skopeo deletes by digest; 2.8.2 then sends one tag delete, `{repository, tag}`, per tag it removed
      await skopeoDelete(`docker://${registry.host}/app:1`);
      await until(() => deletes.length >= 1, 'the tag delete', 20_000, 50);
      await consumer.idle();
      return { digest: image.root.digest, deleted: deletes[0] as NormalizedRegistryEvent, raw: raw[0] as { digest?: string } };
    } finally {
      await consumer.stop();
      await registry.stop();
      await server.close();
    }
  }

  it('through the memory log: the enriched tag delete carries the pushed digest, derived from the log state; the raw event is as the registry sent it', async () => {
    const { digest, deleted, raw } = await pushThenDelete(createMemoryLog(), 'memory');
    expect([deleted.repository, deleted.tag, deleted.digest, deleted.derived]).toEqual(['app', '1', digest, { digest: 'log-state' }]);
    expect(raw.digest).toBeUndefined();
  }, 90_000);

  it.skipIf(!redisPeer.available)('through the Redis log: the same, from its tag hashes', async () => {
    const { digest, deleted } = await pushThenDelete(createRedisLog({ client: (redis as NonNullable<typeof redis>).client, stream: freshStream() }), 'redis');
    expect([deleted.repository, deleted.tag, deleted.digest, deleted.derived]).toEqual(['app', '1', digest, { digest: 'log-state' }]);
  }, 90_000);
});
