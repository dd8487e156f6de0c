import { buildImage, requirePeers, startRedis, startRegistry, type RunningRedis, type RunningRegistry } from '@regevents/registry-harness';
import { createRegistryClient } from '@regevents/registry-client';
import { detectFormat, normalize } from '@regevents/formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPolicies, createReplicator, harborReplicationPayload, type ReplicationPolicy, type Replicator, type StatusChange } from '../src/index.js';
import { createBullMqQueue } from '../src/node.js';
import { eventually } from './peers.js';
import { pushBuilt } from './push.js';

const peers = requirePeers('docker-registry', 'redis-server');

describe.skipIf(!peers.available)('retry(jobId) and stop(policy), on BullMQ', () => {
  let redis: RunningRedis;
  let source: RunningRegistry;
  let target: RunningRegistry;
  let replicator: Replicator;
  let policies: ReplicationPolicy[];
  const changes: StatusChange[] = [];
  const storyOf = (jobId: string) => changes.filter((change) => change.jobId === jobId).map((change) => change.status);

  beforeAll(async () => {
    [redis, source, target] = await Promise.all([startRedis(), startRegistry(), startRegistry()]);
    const client = createRegistryClient({ baseUrl: source.url });
    for (const name of ['once', 'slow1', 'slow2']) await pushBuilt(client, name, '1.0', buildImage({ seed: name.length * 31 + name.charCodeAt(4), layers: 1 }));
    ({ policies } = checkPolicies([
      { name: 'once', source: { registry: source.url }, targets: [{ registry: target.url }], trigger: 'manual', attempts: 1 },
      { name: 'patient', source: { registry: source.url }, targets: [{ registry: target.url }], trigger: 'manual', attempts: 5, backoff: '1m' },
    ]));
    replicator = createReplicator({ policies, queue: createBullMqQueue({ redisUrl: redis.url, lockMs: 2000 }), status: async (change) => void changes.push(change) });
    await replicator.start();
  });
  afterAll(async () => {
    await replicator?.close();
    await Promise.all([redis?.stop(), source?.stop(), target?.stop()]);
  });

  it('a job that failed for good runs again on retry and ends in Success; its status events are Harbor REPLICATION payloads', async () => {
    let id = '';
    await target.restart({
      whileDown: async () => {
        [id = ''] = await replicator.replicate('once', 'once', '1.0');
        await eventually(async () => expect(storyOf(id)).toEqual(['Pending', 'Running', 'Error']));
        const error = changes.find((change) => change.jobId === id && change.status === 'Error') as StatusChange;
        expect(error).toMatchObject({ willRetry: false, attempt: 1 });
        expect(harborReplicationPayload(error).event_data.replication?.failed_artifact?.[0]).toMatchObject({ name_tag: 'once:1.0', status: 'Error' });
        expect(await replicator.retry('no-such-job')).toBe(false);
        expect(await replicator.retry('not:a job id')).toBe(false);
      },
    });
    expect(await replicator.retry(id)).toBe(true);
    await eventually(async () => expect(storyOf(id)).toEqual(['Pending', 'Running', 'Error', 'Pending', 'Running', 'Success']));
    const success = harborReplicationPayload(changes.at(-1) as StatusChange);
    expect(detectFormat(success)).toBe('harbor');
    const [normalized] = await normalize(JSON.stringify(success));
    expect(normalized).toMatchObject({ kind: 'replication.status', repository: 'once', registry: { kind: 'harbor' } });
    expect(success.event_data).toMatchObject({ replication: { job_status: 'Success', trigger_type: 'MANUAL', successful_artifact: [{ name_tag: 'once:1.0' }] }, custom_attributes: { policy: 'once', job_id: id, attempt: '1' } });
  });

  it('stop(policy) ends its waiting and delayed jobs in Stopped and leaves other policies alone', async () => {
    await target.restart({
      whileDown: async () => {
        const ids = [...(await replicator.replicate('patient', 'slow1', '1.0')), ...(await replicator.replicate('patient', 'slow2', '1.0'))];
        await eventually(async () => {
          const jobs = (await replicator.jobs()).filter((job) => ids.includes(job.id));
          expect(jobs.map((job) => job.state)).toEqual(['delayed', 'delayed']);
        });
        expect((await replicator.stop('patient')).sort()).toEqual([...ids].sort());
        for (const id of ids) expect(storyOf(id)).toEqual(['Pending', 'Running', 'Error', 'Stopped']);
        expect((await replicator.jobs()).filter((job) => ids.includes(job.id))).toEqual([]);
        expect((await replicator.jobs()).filter((job) => job.data.policy === 'once').map((job) => job.state)).toEqual(['completed']);
      },
    });
  });
});
