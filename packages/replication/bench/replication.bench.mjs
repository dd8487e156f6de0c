// Benchmark: 50 images (2 layers each) replicated by event between two docker-registry processes,
// jobs on BullMQ on a real redis-server. Measured: the time from the last push to the last image
// present on the target (every job completed), against `skopeo sync` of the same 50 repositories
// into a fresh target, run once after the pushes; and the throughput of a catch-up of the same 50
// images into a fresh target with the target's concurrency 4 against 1 (median of alternating
// rounds). Needs a build.
import { createServer } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildImage, registryConfig, requirePeers, skopeo, saveBenchReport, startRedis, startRegistry } from '@regevents/registry-harness';
import { createRegistryClient } from '@regevents/registry-client';
import { createRelay } from '@regevents/relay';
import { checkPolicies, createReplicator } from '@regevents/replication';
import { createBullMqQueue } from '@regevents/replication/node';

const IMAGES = 50;
const ROUNDS = 3;
const TOKEN = 'bench-token';
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startRelayServer() {
  const relay = createRelay({ auth: { bearer: TOKEN } }).onError(() => undefined);
  const server = createServer((req, res) => void relay.node(req, res));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { relay, url: `http://127.0.0.1:${server.address().port}/events`, close: () => new Promise((resolve) => server.close(resolve)) };
}

function replicatorFor(source, target, redis, round, concurrency) {
  const { policies, diagnostics } = checkPolicies({ name: `bench${round}`, source: { registry: source.url }, targets: [{ name: 't', registry: target.url, concurrency }], backoff: '100ms' });
  if (diagnostics.length > 0) throw new Error(JSON.stringify(diagnostics));
  return createReplicator({ policies, queue: createBullMqQueue({ redisUrl: redis.url, prefix: `bench${round}` }) });
}

async function untilDone(replicator, count) {
  for (;;) {
    const jobs = await replicator.jobs();
    if (jobs.filter((job) => job.state === 'completed').length >= count) return;
    if (jobs.some((job) => job.state === 'failed')) throw new Error(`a job failed: ${JSON.stringify(jobs.find((job) => job.state === 'failed'))}`);
    await sleep(10);
  }
}

async function pushAll(client, images) {
  for (const [index, image] of images.entries()) {
    for (const [digest, bytes] of image.blobs) if (digest !== image.root.digest) await client.pushBlob(`bench/app${index}`, bytes, { digest });
    await client.putManifest(`bench/app${index}`, '1.0', { mediaType: image.root.mediaType, bytes: image.blobs.get(image.root.digest) });
  }
}

/** Event-driven: the replicator runs while the images are pushed; the clock starts at the last push. */
async function byEvent(redis, images, round) {
  const relayServer = await startRelayServer();
  const endpoints = [{ name: 'relay', url: relayServer.url, headers: { Authorization: [`Bearer ${TOKEN}`] }, timeout: '1s', threshold: 3, backoff: '200ms' }];
  const source = await startRegistry({ config: (base) => registryConfig({ ...base, notifications: { endpoints } }) });
  const target = await startRegistry();
  const replicator = replicatorFor(source, target, redis, round, 4);
  const consumer = relayServer.relay.consumer('replication', { concurrency: 8 });
  replicator.subscribe(consumer);
  await replicator.start({ catchUp: false });
  await consumer.start();
  try {
    const firstPush = performance.now();
    await pushAll(createRegistryClient({ baseUrl: source.url }), images);
    const lastPush = performance.now();
    await untilDone(replicator, IMAGES);
    return { lagMs: performance.now() - lastPush, totalMs: performance.now() - firstPush, pushMs: lastPush - firstPush, source, target };
  } finally {
    await consumer.stop();
    await replicator.close();
    await relayServer.close();
  }
}

async function skopeoSync(source, workDir) {
  const target = await startRegistry();
  const file = join(workDir, 'sync.yml');
  const images = Object.fromEntries(Array.from({ length: IMAGES }, (_, index) => [`bench/app${index}`, ['1.0']]));
  await writeFile(file, JSON.stringify({ [source.host]: { 'tls-verify': false, images } }));
  try {
    const started = performance.now();
    await skopeo(['--insecure-policy', 'sync', '--src', 'yaml', '--dest', 'docker', '--dest-tls-verify=false', file, target.host], { timeoutMs: 300_000 });
    return performance.now() - started;
  } finally {
    await target.stop();
  }
}

/** Throughput: a catch-up of the populated source into a fresh target. */
async function catchUp(redis, source, round, concurrency) {
  const target = await startRegistry();
  const replicator = replicatorFor(source, target, redis, `c${concurrency}-${round}`, concurrency);
  try {
    await replicator.start({ catchUp: false });
    const started = performance.now();
    const ids = await replicator.catchUp();
    if (ids.length !== IMAGES) throw new Error(`catch-up queued ${ids.length} jobs, expected ${IMAGES}`);
    await untilDone(replicator, IMAGES);
    return IMAGES / ((performance.now() - started) / 1000);
  } finally {
    await replicator.close();
    await target.stop();
  }
}

const peers = requirePeers('docker-registry', 'skopeo', 'redis-server');
if (!peers.available) {
  console.log(`skipping the replication benchmark: ${peers.reason}`);
  process.exit(0);
}
const workDir = await mkdtemp(join(tmpdir(), 'regevents-replication-bench-'));
const redis = await startRedis();
try {
  const lags = [];
  const totals = [];
  const syncs = [];
  const one = [];
  const four = [];
  for (let round = 0; round < ROUNDS; round++) {
    const images = Array.from({ length: IMAGES }, (_, index) => buildImage({ seed: round * 1000 + index, layers: 2, layerBytes: 64 * 1024 }));
    const { lagMs, totalMs, pushMs, source, target } = await byEvent(redis, images, round);
    await target.stop();
    lags.push(lagMs);
    totals.push([totalMs, pushMs]);
    syncs.push(await skopeoSync(source, workDir));
    // alternate who goes first
    if (round % 2 === 0) {
      one.push(await catchUp(redis, source, round, 1));
      four.push(await catchUp(redis, source, round, 4));
    } else {
      four.push(await catchUp(redis, source, round, 4));
      one.push(await catchUp(redis, source, round, 1));
    }
    await source.stop();
  }
  const lagMs = median(lags);
  const syncMs = median(syncs);
  await saveBenchReport({
    package: '@regevents/replication',
    title: `${IMAGES} images (2 layers of 64 KiB) between two docker-registry processes, BullMQ on redis-server (median of ${ROUNDS} rounds)`,
    baseline: 'skopeo sync of the same repositories, run once after the pushes',
    unit: 'images/s',
    results: [
      { name: 'skopeo sync after the pushes', opsPerSecond: IMAGES / (syncMs / 1000), ratio: 1 },
      { name: 'replication by event (from the last push)', opsPerSecond: IMAGES / (lagMs / 1000), ratio: syncMs / lagMs },
      { name: 'catch-up, target concurrency 1', opsPerSecond: median(one), ratio: median(one) / (IMAGES / (syncMs / 1000)) },
      { name: 'catch-up, target concurrency 4', opsPerSecond: median(four), ratio: median(four) / (IMAGES / (syncMs / 1000)) },
    ],
    notes: [
      `last push to last image on the target: ${lagMs.toFixed(0)} ms; skopeo sync: ${syncMs.toFixed(0)} ms; replication/skopeo ${(lagMs / syncMs).toFixed(2)} (target <= 1.2)`,
      `rounds (ms): replication ${lags.map((ms) => ms.toFixed(0)).join(' ')}; skopeo sync ${syncs.map((ms) => ms.toFixed(0)).join(' ')}`,
      `from the first push to the last image on the target (replication runs while the ${IMAGES} images are pushed): ${totals.map(([total, push]) => `${total.toFixed(0)} ms (pushes ${push.toFixed(0)} ms)`).join(', ')}`,
      `catch-up throughput: concurrency 4 ${median(four).toFixed(1)} images/s vs 1 ${median(one).toFixed(1)} images/s (${(median(four) / median(one)).toFixed(2)}x)`,
    ],
    target: 'replication time <= 1.2x skopeo sync',
  });
} finally {
  await redis.stop();
  await rm(workDir, { recursive: true, force: true });
}
