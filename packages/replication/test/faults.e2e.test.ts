import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildImage, requirePeers, startRedis, startRegistry, type RunningRedis, type RunningRegistry } from '@regevents/registry-harness';
import { createRegistryClient, type RegistryClient } from '@regevents/registry-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPolicies, createReplicator, type ReplicationStatus, type Replicator } from '../src/index.js';
import { createBullMqQueue } from '../src/node.js';
import { eventually } from './peers.js';
import { pushBuilt } from './push.js';

const peers = requirePeers('docker-registry', 'redis-server');
const LOCK_MS = 1500;
const IMAGES = 6;

interface StatusLine {
  type: 'status';
  jobId: string;
  status: ReplicationStatus;
  attempt: number;
  willRetry?: boolean;
  at: string;
  pid: number;
}

interface Worker {
  child: ChildProcess;
  lines: (StatusLine | { type: string; jobId?: string })[];
}

async function startWorker(policies: unknown, redisUrl: string): Promise<Worker> {
  const script = fileURLToPath(new URL('./processes/worker.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, JSON.stringify(policies), redisUrl, String(LOCK_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const worker: Worker = { child, lines: [] };
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const parsed = JSON.parse(line) as Worker['lines'][number];
      worker.lines.push(parsed);
      if (parsed.type === 'ready') resolve();
    });
  });
  await ready;
  return worker;
}

const statusesOf = (worker: Worker) => worker.lines.filter((line): line is StatusLine => line.type === 'status');

describe.skipIf(!peers.available)('faults: the target stopped mid-copy, a worker SIGKILLed mid-copy', () => {
  let redis: RunningRedis;
  let source: RunningRegistry;
  let target: RunningRegistry;
  let enqueuer: Replicator;
  const workers: Worker[] = [];
  let sourceClient: RegistryClient;

  beforeAll(async () => {
    [redis, source, target] = await Promise.all([startRedis({ appendfsync: 'always' }), startRegistry(), startRegistry()]);
    sourceClient = createRegistryClient({ baseUrl: source.url });
  });
  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await enqueuer?.close();
    await Promise.all([redis?.stop(), source?.stop(), target?.stop()]);
  });

  it('every tag ends on the target with the source digest, each job ends in Success, and the statuses tell the story in order', async () => {
    const pushed = new Map<string, string>();
    for (let n = 0; n < IMAGES; n++) {
      const image = buildImage({ seed: 700 + n, layers: 2, layerBytes: 2 * 1024 * 1024 });
      await pushBuilt(sourceClient, `app${n}`, '1.0', image);
      pushed.set(`app${n}`, image.root.digest);
    }
    const { policies, diagnostics } = checkPolicies({
      name: 'faults',
      source: { registry: source.url },
      targets: [{ name: 'far', registry: target.url, concurrency: 2 }],
      trigger: 'manual',
      backoff: '250ms',
      attempts: 10,
    });
    expect(diagnostics).toEqual([]);

    const pending: { jobId: string; at: string }[] = [];
    enqueuer = createReplicator({ policies, queue: createBullMqQueue({ redisUrl: redis.url, lockMs: LOCK_MS }), status: async (change) => void pending.push({ jobId: change.jobId, at: change.at.toISOString() }) });
    await enqueuer.start({ work: false, catchUp: false });
    const first = await startWorker(policies, redis.url);
    workers.push(first);
    const ids = (await Promise.all([...pushed.keys()].map((repository) => enqueuer.replicate('faults', repository, '1.0')))).flat();
    expect(ids).toHaveLength(IMAGES);

    // the first worker dies with copies in flight: Running reported, Success not yet
    await eventually(async () => expect(first.lines.some((line) => line.type === 'progress')).toBe(true), 20_000);
    first.child.kill('SIGKILL');
    const cutShort = new Set(statusesOf(first).filter((line) => line.status === 'Running').map((line) => line.jobId));
    for (const line of statusesOf(first)) if (line.status === 'Success') cutShort.delete(line.jobId);
    expect(cutShort.size).toBeGreaterThan(0);

    // the target goes down while the second worker takes the lanes up
    let second!: Worker;
    await target.restart({
      whileDown: async () => {
        second = await startWorker(policies, redis.url);
        workers.push(second);
        await eventually(async () => expect(statusesOf(second).some((line) => line.status === 'Error' && line.willRetry)).toBe(true), 20_000);
      },
    });

    await eventually(async () => {
      const jobs = await enqueuer.jobs();
      expect(jobs.filter((job) => job.state === 'completed')).toHaveLength(IMAGES);
    }, 60_000);
    const targetClient = createRegistryClient({ baseUrl: target.url });
    for (const [repository, digest] of pushed) expect((await targetClient.headManifest(repository, '1.0'))?.digest).toBe(digest);

    const all = [...pending.map((line) => ({ ...line, status: 'Pending' as ReplicationStatus })), ...statusesOf(first), ...statusesOf(second)];
    for (const id of ids) {
      const story = all.filter((line) => line.jobId === id).sort((a, b) => a.at.localeCompare(b.at)).map((line) => line.status);
      expect(story[0], `${id}: ${story.join(' ')}`).toBe('Pending');
      expect(story.at(-1), `${id}: ${story.join(' ')}`).toBe('Success');
      expect(story.filter((status) => status === 'Success'), `${id}: ${story.join(' ')}`).toHaveLength(1);
      // an Error or a Success ends a Running
      for (const [index, status] of story.entries()) if (status === 'Error' || status === 'Success') expect(story.slice(0, index)).toContain('Running');
      if (cutShort.has(id)) expect(story.filter((status) => status === 'Running').length, `${id} was cut short: ${story.join(' ')}`).toBeGreaterThanOrEqual(2);
    }
  });
});
