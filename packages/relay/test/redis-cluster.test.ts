import { until } from '@regevents/registry-harness';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRedisLog } from '../src/index.js';
import { describeLogContract } from '../src/testing.js';
import { freshStream, redisPeer, useRedis, type RedisClient } from './helpers.js';

/**
 * A Redis Cluster of one node that serves every slot: a plain client reaches all keys, and Redis
 * refuses (CROSSSLOT) any command or script whose keys do not share one slot, as a real cluster's
 * node does. The whole log contract runs on it.
 */
function useOneNodeCluster(): { client: RedisClient } {
  const started = useRedis({ cluster: true });
  beforeAll(async () => {
    await started.client.sendCommand(['CLUSTER', 'ADDSLOTSRANGE', '0', '16383']);
    await until(async () => String(await started.client.sendCommand(['CLUSTER', 'INFO'])).includes('cluster_state:ok'), 'the cluster to serve every slot');
  });
  return started;
}

describe.skipIf(!redisPeer.available)('on a one-node Redis Cluster', () => {
  const cluster = useOneNodeCluster();

  it('refuses a script whose keys are in two slots (what the log must never send)', async () => {
    await expect(cluster.client.sendCommand(['EVAL', 'return 1', '2', '{a}:x', '{b}:x'])).rejects.toThrow(/CROSSSLOT/);
  });

  describeLogContract('redis log', { describe, it }, async ({ partitions }) => ({ log: createRedisLog({ client: cluster.client, stream: freshStream(), partitions }) }));
});
