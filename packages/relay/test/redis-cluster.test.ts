import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, terminate, until } from '@regevents/registry-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisLog } from '../src/index.js';
import { describeLogContract } from '../src/testing.js';
import { connect, freshStream, redisPeer, useWorkDir, type RedisClient } from './helpers.js';

/**
 * A Redis Cluster of one node that serves every slot: a plain client reaches all keys, and Redis
 * refuses (CROSSSLOT) any command or script whose keys do not share one slot, as a real cluster's
 * node does. The whole log contract runs on it.
 */
function useOneNodeCluster(): { client: RedisClient } {
  const dir = useWorkDir('regevents-redis-cluster-');
  const started = {} as { client: RedisClient; server: ChildProcess };
  beforeAll(async () => {
    const port = await freePort();
    const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir.path, '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'];
    started.server = spawn('redis-server', args, { stdio: 'ignore' });
    // the client retries until the server listens
    started.client = await connect(`redis://127.0.0.1:${port}`);
    await started.client.sendCommand(['CLUSTER', 'ADDSLOTSRANGE', '0', '16383']);
    await until(async () => String(await started.client.sendCommand(['CLUSTER', 'INFO'])).includes('cluster_state:ok'), 'the cluster to serve every slot');
  });
  afterAll(async () => {
    await started.client?.quit().catch(() => undefined);
    if (started.server) await terminate(started.server);
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
