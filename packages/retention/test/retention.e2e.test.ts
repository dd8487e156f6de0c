import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistryClient, type RegistryClient } from '@regevents/registry-client';
import { createRedisLog, createRelay, type Consumer, type Relay } from '@regevents/relay';
import { registryConfig, requirePeers, run, serveOnLoopback, skopeoCopy, sleep, startRedis, startRegistry, type LoopbackServer, type RunningRedis, type RunningRegistry } from '@regevents/registry-harness';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, createRedisUsageStore, createUsageTracker, parseRetentionPolicy, plan, RETENTION_USER_AGENT, type RetentionPlan, type RetentionPolicy, type UsageStore } from '../src/index.js';
import { pushImage, pushSignature } from './images.js';

const peers = requirePeers('docker-registry', 'skopeo', 'redis-server');
const TOKEN = 'retention-test-token-61c0';
const DAY = 24 * 60 * 60 * 1000;
const START = Date.parse('2026-01-01T00:00:00Z');
const NOW = START + 90 * DAY;
/** The replicator's reads (REPLICATION_USER_AGENT of @regevents/replication). */
const REPLICATOR_USER_AGENT = 'regevents-replication/0.1.0';

const POLICY = `
policies:
  - repositories: [app]
    rules:
      - keep: { last: 5, by: pushed }
      - keep: { tags: { regex: '^v\\d+\\.\\d+\\.\\d+$' } }
      - remove: { notPulledFor: 720h }
  - repositories: ['others/*']
    rules:
      - keep: { tags: { regex: '^v\\d+\\.\\d+\\.\\d+$' } }
      - remove: { notPulledFor: 720h }
`;

/** The 30 tags of `app`: every fifth a release, pushed three days apart. */
const APP = Array.from({ length: 30 }, (_, i) => ({ tag: i % 5 === 4 ? `v1.${i}.0` : `build-${i}`, pushedDay: i * 3, seed: i + 1 }));
/** Pulls by users (kubelet): tag index → days. */
const USER_PULLS: Record<number, number[]> = { 2: [70, 85], 6: [75], 10: [35], 13: [61], 18: [56] };

/**
 * Real time → simulated time: every action the test takes is stamped with the simulated moment it
 * happens at, and an event belongs to the last mark before its registry timestamp.
 */
function simulatedClock() {
  const marks: { real: number; simulated: number }[] = [];
  return {
    async at(simulated: number) {
      await sleep(3); // the previous action's events carry an earlier millisecond
      marks.push({ real: Date.now(), simulated });
    },
    timeOf(timestamp: string): number {
      const real = Date.parse(timestamp);
      let found = marks[0]?.simulated ?? real;
      for (const mark of marks) if (mark.real <= real) found = mark.simulated;
      return found;
    },
  };
}

async function storageBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

async function tagsOf(client: RegistryClient, repository: string): Promise<string[]> {
  const tags: string[] = [];
  for await (const tag of client.tags(repository)) tags.push(tag);
  return tags.sort();
}

describe.skipIf(!peers.available)('retention against docker-registry 2.8.2 and redis-server', () => {
  let redis: RunningRedis;
  let redisClient: ReturnType<typeof createClient>;
  let registry: RunningRegistry;
  let relayServer: LoopbackServer | undefined;
  let relay: Relay;
  let consumer: Consumer;
  let store: UsageStore;
  let retentionClient: RegistryClient;
  let pusher: RegistryClient;
  const clock = simulatedClock();
  const digests = new Map<string, string>();
  let policy: RetentionPolicy;
  let planned: RetentionPlan;

  /** Until the registry has sent everything and the consumer has handled it. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 400; i++) {
      const vars = (await (await fetch(registry.debugUrl)).json()) as { registry: { notifications: { endpoints: { Metrics: { Pending: number } }[] } } };
      const group = (await relay.metrics()).groups.retention;
      if (vars.registry.notifications.endpoints[0]?.Metrics.Pending === 0 && group && group.lag === 0 && group.pending === 0) return;
      await sleep(50);
    }
    throw new Error('events did not settle');
  }

  beforeAll(async () => {
    redis = await startRedis();
    redisClient = createClient({ url: redis.url });
    redisClient.on('error', () => undefined);
    await redisClient.connect();
    relay = createRelay({ log: createRedisLog({ client: redisClient, stream: 'test:retention' }), auth: { bearer: TOKEN } });
    store = createRedisUsageStore({ client: redisClient });
    consumer = createUsageTracker({ store, timeOf: (event) => clock.timeOf(event.timestamp) }).attach(relay.consumer('retention', { pollMs: 20 }));
    await consumer.start();
    relayServer = await serveOnLoopback((req, res) => void relay.node(req, res));
    const relayUrl = `${relayServer.origin}/events`;
    registry = await startRegistry({
      config: (base) =>
        registryConfig({
          ...base,
          notifications: {
            events: { includereferences: true },
            endpoints: [{ name: 'relay', url: relayUrl, headers: { Authorization: [`Bearer ${TOKEN}`] }, timeout: '2s', threshold: 3, backoff: '200ms' }],
          },
        }),
    });
    pusher = createRegistryClient({ baseUrl: registry.url, userAgent: 'ci-pusher/1.0' });
    const kubelet = createRegistryClient({ baseUrl: registry.url, userAgent: 'kubelet/v1.30.0' });
    const replicator = createRegistryClient({ baseUrl: registry.url, userAgent: REPLICATOR_USER_AGENT });
    retentionClient = createRegistryClient({ baseUrl: registry.url, userAgent: RETENTION_USER_AGENT });

    // 30 tags over 87 days, user pulls on some days
    const pullsOn = new Map<number, number[]>();
    for (const [index, days] of Object.entries(USER_PULLS)) for (const day of days) pullsOn.set(day, [...(pullsOn.get(day) ?? []), Number(index)]);
    for (let day = 0; day <= 89; day++) {
      for (const entry of APP.filter((item) => item.pushedDay === day)) {
        await clock.at(START + day * DAY);
        digests.set(`app:${entry.tag}`, await pushImage(pusher, 'app', entry.tag, entry.seed));
      }
      for (const index of pullsOn.get(day) ?? []) {
        await clock.at(START + day * DAY + 3_600_000);
        await kubelet.getManifest('app', APP[index]!.tag);
      }
    }
    // the replicator reads every tag the day before the plan: that is no use
    await clock.at(START + 89 * DAY);
    for (const entry of APP) await replicator.getManifest('app', entry.tag);

    // others/*: a shared digest, a multi-arch index, signatures, tags that move after the plan
    await clock.at(START);
    const shared = await pushImage(pusher, 'others/shared', 'build-old', 101);
    await pushImage(pusher, 'others/shared', 'v2.0.0', 101);
    digests.set('others/shared', shared);
    const platforms = [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ];
    digests.set('others/multi:v3.0.0', await pushImage(pusher, 'others/multi', 'v3.0.0', 7, platforms));
    digests.set('others/multi:build-old', await pushImage(pusher, 'others/multi', 'build-old', 8, platforms));
    for (const [tag, seed] of [
      ['v4.0.0', 201],
      ['build-old', 202],
    ] as const) {
      const digest = await pushImage(pusher, 'others/signed', tag, seed);
      const head = await pusher.headManifest('others/signed', digest);
      digests.set(`others/signed:${tag}`, digest);
      digests.set(`others/signed:${tag}:signature`, await pushSignature(pusher, 'others/signed', { digest, size: head!.size }, seed));
    }
    digests.set('others/moved:build-moved', await pushImage(pusher, 'others/moved', 'build-moved', 301));
    digests.set('others/moved:build-again', await pushImage(pusher, 'others/moved', 'build-again', 302));
    await settle();

    const checked = parseRetentionPolicy(POLICY);
    expect(checked.diagnostics).toEqual([]);
    policy = checked.policy!;
    planned = await plan(policy, { client: retentionClient, store, clock: () => NOW });
  });

  afterAll(async () => {
    await consumer?.stop();
    await relayServer?.close();
    await registry?.stop();
    await redisClient?.quit();
    await redis?.stop();
  });

  it("plans exactly the tags the scenario says: not in the last 5, not a release, not pulled for 30 days (the replicator's reads do not count)", async () => {
    const cutoff = NOW - 30 * DAY;
    const expected = APP.filter((entry, index) => {
      if (index >= APP.length - 5 || /^v\d+\.\d+\.\d+$/.test(entry.tag)) return false;
      const lastUse = Math.max(START + entry.pushedDay * DAY, ...(USER_PULLS[index] ?? []).map((day) => START + day * DAY + 3_600_000));
      return lastUse < cutoff;
    }).map((entry) => entry.tag);
    const removed = planned.entries.filter((entry) => entry.repository === 'app' && entry.action === 'remove').map((entry) => entry.tag);
    expect(removed.sort()).toEqual(expected.sort());
    expect(expected.length).toBeGreaterThan(5);
    // the pulls that count are the users' only
    const usage = await store.repository('app');
    expect(usage.tags.get(APP[2]!.tag)?.pulls).toBe(2);
    expect(usage.tags.get(APP[0]!.tag)?.pulls).toBe(0);
    const decidedBy = planned.entries.find((entry) => entry.repository === 'app' && entry.tag === APP[29]!.tag)?.rule?.description;
    expect(decidedBy).toBe('keep last 5 by pushed');
  });

  it('keeps a digest that a kept tag shares, the children of a kept index, and signatures of kept manifests', () => {
    const entry = (repository: string, tag: string | undefined, digest?: string) =>
      planned.entries.find((item) => item.repository === repository && item.tag === tag && (digest === undefined || item.digest === digest));
    expect(entry('others/shared', 'build-old')).toMatchObject({ action: 'keep', reason: 'shares-digest' });
    expect(planned.deletions.some((deletion) => deletion.digest === digests.get('others/shared'))).toBe(false);

    const keptChildren = planned.entries.filter((item) => item.repository === 'others/multi' && item.reason === 'index-child');
    expect(keptChildren.filter((item) => item.action === 'keep')).toHaveLength(2);
    expect(keptChildren.filter((item) => item.action === 'remove')).toHaveLength(2);
    expect(entry('others/multi', 'build-old')?.action).toBe('remove');

    expect(entry('others/signed', undefined, digests.get('others/signed:v4.0.0:signature'))).toMatchObject({ action: 'keep', reason: 'referrer' });
    expect(entry('others/signed', undefined, digests.get('others/signed:build-old:signature'))).toMatchObject({ action: 'remove', reason: 'referrer' });
  });

  it('apply leaves exactly the kept tags; a tag pushed again after the plan is not deleted', async () => {
    // after the plan: build-moved gets new content, build-again the same content again
    await clock.at(NOW + 60_000);
    await pushImage(pusher, 'others/moved', 'build-moved', 399);
    await pushImage(pusher, 'others/moved', 'build-again', 302);
    await settle();

    const report = await apply(planned, { client: retentionClient, store, clock: () => NOW + 120_000 });
    expect(report.counts.failed).toBe(0);
    const kept = planned.entries.filter((entry) => entry.repository === 'app' && entry.action === 'keep').map((entry) => entry.tag);
    expect(await tagsOf(retentionClient, 'app')).toEqual(kept.sort());
    expect(await tagsOf(retentionClient, 'others/moved')).toEqual(['build-again', 'build-moved']);
    expect(report.results.find((result) => result.digest === digests.get('others/moved:build-again'))).toMatchObject({ outcome: 'skipped' });
    expect(report.results.find((result) => result.digest === digests.get('others/moved:build-moved'))).toMatchObject({ outcome: 'deleted', movedTags: ['build-moved'] });
    expect(await tagsOf(retentionClient, 'others/shared')).toEqual(['build-old', 'v2.0.0']);
    const signed = await tagsOf(retentionClient, 'others/signed');
    expect(signed).toContain('v4.0.0');
    expect(signed).toContain(`sha256-${digests.get('others/signed:v4.0.0')!.slice(7)}`);
    expect(signed).not.toContain('build-old');
    expect(await retentionClient.headManifest('others/signed', digests.get('others/signed:v4.0.0:signature')!)).toBeDefined();
  });

  it("garbage-collect frees the plan's reclaimable bytes, and every kept image still pulls with skopeo", async () => {
    const storage = join(registry.workDir, 'storage');
    const before = await storageBytes(storage);
    // the two manifests that stayed or moved after the plan: what the plan counted for them is not freed
    const notFreed = planned.deletions.filter((deletion) => deletion.digest === digests.get('others/moved:build-again')).reduce((sum, deletion) => sum + deletion.reclaimableBytes, 0);
    await run('docker-registry', ['garbage-collect', join(registry.workDir, 'config.yml')]);
    const after = await storageBytes(storage);
    expect(planned.reclaimableBytes).toBeGreaterThan(0);
    expect(before - after).toBe(planned.reclaimableBytes - notFreed);

    const dir = await mkdtemp(join(tmpdir(), 'retention-pull-'));
    try {
      const keptTags = planned.entries.filter((entry) => entry.action === 'keep' && entry.tag !== undefined && entry.reason !== 'referrers-tag');
      for (const [n, entry] of keptTags.entries()) {
        await skopeoCopy(`docker://${registry.host}/${entry.repository}:${entry.tag}`, `dir:${join(dir, String(n))}`, { all: true });
      }
      expect(keptTags.length).toBeGreaterThan(10);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
