import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage, requirePeers, skopeoCopy, skopeoDelete, startRedis, writeOciLayout, type CaptureListener, type RunningRedis, type RunningRegistry } from '@regevents/registry-harness';
import { createRegistryClient, type RegistryClient } from '@regevents/registry-client';
import type { Consumer } from '@regevents/relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPolicies, createReplicator, isReplicationRequest, relayStatusSink, REPLICATION_USER_AGENT, type ReplicationPolicy, type Replicator, type StatusChange } from '../src/index.js';
import { createBullMqQueue } from '../src/node.js';
import { eventsOf, eventually, isBlobPush, RELAY_TOKEN, startNotifying, startRelayServer } from './peers.js';

const peers = requirePeers('docker-registry', 'skopeo', 'redis-server');
const amd64 = { os: 'linux', architecture: 'amd64' };
const arm64 = { os: 'linux', architecture: 'arm64' };

describe.skipIf(!peers.available)('replication between two docker-registry processes, jobs on BullMQ', () => {
  let redis: RunningRedis;
  let relayServer: Awaited<ReturnType<typeof startRelayServer>>;
  let source: { registry: RunningRegistry; listener: CaptureListener };
  let target: { registry: RunningRegistry; listener: CaptureListener };
  let workDir: string;
  let policies: ReplicationPolicy[];
  let replicator: Replicator;
  let consumer: Consumer;
  let sourceClient: RegistryClient;
  let targetClient: RegistryClient;
  const changes: StatusChange[] = [];
  let seed = 100;

  async function push(reference: string, platforms = [amd64]): Promise<string> {
    const image = buildImage({ seed: seed++, layers: 2, layerBytes: 16 * 1024, platforms });
    const layout = await writeOciLayout(join(workDir, `image-${seed}`), image, 'x');
    await skopeoCopy(layout, `docker://${source.registry.host}/${reference}`, { all: platforms.length > 1 });
    return image.root.digest;
  }

  const digestOn = async (client: RegistryClient, repository: string, tag: string) => (await client.headManifest(repository, tag))?.digest;

  async function startReplicator(): Promise<void> {
    const queue = createBullMqQueue({ redisUrl: redis.url, lockMs: 2000 });
    const toRelay = relayStatusSink(relayServer.relay.log);
    replicator = createReplicator({
      policies,
      queue,
      status: async (change) => {
        changes.push(change);
        await toRelay(change);
      },
    });
    consumer = relayServer.relay.consumer('replication', { concurrency: 4 });
    replicator.subscribe(consumer);
    await replicator.start();
    await consumer.start();
  }

  async function stopReplicator(): Promise<void> {
    await consumer.stop();
    await replicator.close();
  }

  /** Every job that exists has ended in Success. */
  async function settled(): Promise<void> {
    await eventually(async () => {
      const jobs = await replicator.jobs();
      expect(jobs.length).toBeGreaterThan(0);
      expect(jobs.filter((job) => job.state !== 'completed')).toEqual([]);
      expect((await relayServer.relay.metrics()).groups.replication?.lag ?? 0).toBe(0);
    });
  }

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'replication-e2e-'));
    [redis, relayServer] = await Promise.all([startRedis(), startRelayServer()]);
    [source, target] = await Promise.all([startNotifying(relayServer.url, RELAY_TOKEN), startNotifying()]);
    const checked = checkPolicies([
      {
        name: 'mirror',
        source: { registry: source.registry.url, repositories: ['team/**'], tags: ['1.*', '2.*'], exclude: { repositories: ['team/private/**'] } },
        targets: [{ name: 'dc2', registry: target.registry.url }],
        deletes: 'propagate',
        backoff: '200ms',
      },
      { name: 'archive', source: { registry: source.registry.url, repositories: ['team/app'] }, targets: [{ name: 'dc2', registry: target.registry.url, namespace: 'archive' }], backoff: '200ms' },
    ]);
    expect(checked.diagnostics).toEqual([]);
    policies = checked.policies;
    sourceClient = createRegistryClient({ baseUrl: source.registry.url });
    targetClient = createRegistryClient({ baseUrl: target.registry.url });
    await startReplicator();
  });

  afterAll(async () => {
    await stopReplicator().catch(() => undefined);
    await Promise.all([source?.registry.stop(), target?.registry.stop(), redis?.stop(), relayServer?.close()]);
    await Promise.all([source?.listener.close(), target?.listener.close()]);
    await rm(workDir, { recursive: true, force: true });
  });

  it('copies an image and a multi-arch index by event with the source digests; tag filter and exclude honoured', async () => {
    const app = await push('team/app:1.0');
    const multi = await push('team/multi:2.0', [amd64, arm64]);
    await push('team/app:dev');
    await push('team/private/secret:1.0');
    await eventually(async () => {
      expect(await digestOn(targetClient, 'team/app', '1.0')).toBe(app);
      expect(await digestOn(targetClient, 'team/multi', '2.0')).toBe(multi);
      expect(await digestOn(targetClient, 'archive/team/app', '1.0')).toBe(app);
      expect(await digestOn(targetClient, 'archive/team/app', 'dev')).toBeDefined();
    });
    await settled();
    expect(await digestOn(targetClient, 'team/app', 'dev')).toBeUndefined();
    expect(await digestOn(targetClient, 'team/private/secret', '1.0')).toBeUndefined();
    const index = await targetClient.getManifest('team/multi', '2.0');
    for (const child of index.json.manifests ?? []) expect(await digestOn(targetClient, 'team/multi', child.digest)).toBe(child.digest);

    // each job: Pending, Running, Success, in that order
    const byJob = new Map<string, StatusChange[]>();
    for (const change of changes) byJob.set(change.jobId, [...(byJob.get(change.jobId) ?? []), change]);
    expect(byJob.size).toBe(4);
    for (const story of byJob.values()) expect(story.map((change) => change.status)).toEqual(['Pending', 'Running', 'Success']);
  });

  it('marks its reads on the source with its User-Agent, and status events reach the relay as Harbor replication.status', async () => {
    await source.listener.settle(300);
    const pulls = eventsOf(source.listener).filter((event) => event.action === 'pull');
    expect(pulls.length).toBeGreaterThan(0);
    expect(pulls.every((event) => event.request.useragent === REPLICATION_USER_AGENT && isReplicationRequest(event))).toBe(true);
    expect(isReplicationRequest({ request: { useragent: 'skopeo/1.9.3' } })).toBe(false);

    const logged = [];
    for await (const entry of relayServer.relay.replay({ from: 'beginning' })) if (entry.record.format === 'harbor') logged.push(entry.record.event as { kind: string; raw: { event_data: { replication: { job_status: string } } } });
    expect(logged.length).toBe(changes.length);
    expect(logged.every((event) => event.kind === 'replication.status')).toBe(true);
    expect(logged.filter((event) => event.raw.event_data.replication.job_status === 'Success')).toHaveLength(4);
  });

  it('a second identical event copies nothing: no blob pushes on the target', async () => {
    await target.listener.settle(300);
    const before = target.listener.deliveries.length;
    const jobsBefore = (await replicator.jobs()).length;
    await skopeoCopy(`docker://${source.registry.host}/team/app:1.0`, `docker://${source.registry.host}/team/app:1.0`);
    await eventually(async () => expect((await replicator.jobs()).length).toBe(jobsBefore + 2));
    await settled();
    await target.listener.settle(300);
    const after = eventsOf(target.listener, before);
    expect(after.filter(isBlobPush)).toEqual([]);
    expect(after.filter((event) => event.action === 'push')).toEqual([]);
    const outcomes = (await replicator.jobs()).filter((job) => job.data.cause === 'event').map((job) => job.result?.outcome);
    expect(outcomes.filter((outcome) => outcome === 'up-to-date')).toHaveLength(2);
  });

  it('propagates deletes only where the policy says so', async () => {
    await skopeoDelete(`docker://${source.registry.host}/team/app:1.0`);
    await eventually(async () => expect(await digestOn(targetClient, 'team/app', '1.0')).toBeUndefined());
    await settled();
    expect(await digestOn(targetClient, 'archive/team/app', '1.0')).toBeDefined();
  });

  it('catches up on start with what was pushed while it was down', async () => {
    await stopReplicator();
    const late = await push('team/late:1.5');
    // the relay still holds the event: drop it, as a registry restart would have lost it
    await source.listener.settle(300);
    const lateEvents = eventsOf(source.listener).filter((event) => event.target.repository === 'team/late');
    expect(lateEvents.length).toBeGreaterThan(0);
    relayServer = await startRelayServer().then(async (fresh) => {
      await relayServer.close();
      return fresh;
    });
    await startReplicator();
    await eventually(async () => expect(await digestOn(targetClient, 'team/late', '1.5')).toBe(late));
    const catchUpJobs = (await replicator.jobs()).filter((job) => job.data.cause === 'catch-up');
    expect(catchUpJobs.map((job) => `${job.data.repository}:${job.data.tag}`)).toEqual(['team/late:1.5']);
  });
});
