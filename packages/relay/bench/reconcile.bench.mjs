// Reconciliation of a registry of REPOSITORIES repositories and TAGS_PER_REPOSITORY tags each (the
// mock registry served over HTTP on loopback), against a bare loop sending the same requests
// (catalog, each repository's tags list, one manifest HEAD per tag) with the same concurrency, in
// alternating rounds. Two cases: the first run (every tag new: 20,000 synthetic events appended to a
// memory log) and the steady state (the log in sync: nothing appended). Heap growth is reported.
import { createMockRegistry } from '@regevents/mock-registry/node';
import { createRegistryClient } from '@regevents/registry-client';
import pLimit from 'p-limit';
import { createRelay, reconcile } from '../dist/index.js';

const REPOSITORIES = Number(process.env.BENCH_REPOSITORIES ?? 1000);
const TAGS_PER_REPOSITORY = Number(process.env.BENCH_TAGS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const CONCURRENCY = 8;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const registry = createMockRegistry();
const server = await registry.serve();
// seeded in process (no HTTP): one image per repository, tagged TAGS_PER_REPOSITORY times
const seeder = createRegistryClient({ baseUrl: server.url, fetch: (input, init) => registry.handle(new Request(input, init)) });
const seedStarted = performance.now();
for (let r = 0; r < REPOSITORIES; r++) {
  const repository = `team-${String(r).padStart(4, '0')}/app`;
  await registry.pushImage(`${repository}:t0`, { seed: r + 1, layerSize: 64 });
  const manifest = await seeder.getManifest(repository, 't0');
  for (let t = 1; t < TAGS_PER_REPOSITORY; t++) await seeder.putManifest(repository, `t${t}`, { mediaType: manifest.mediaType, bytes: manifest.bytes });
}
await registry.idle();
registry.events.length = 0;
console.log(`seeded ${REPOSITORIES} repositories, ${REPOSITORIES * TAGS_PER_REPOSITORY} tags in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

const client = createRegistryClient({ baseUrl: server.url, userAgent: 'regevents-reconcile-bench' });

/** The minimal requests, by hand: the same catalog, tag lists and HEADs, CONCURRENCY at once. */
async function bareLoop() {
  const limit = pLimit(CONCURRENCY);
  let tags = 0;
  const running = new Set();
  const work = async (repository) => {
    const names = await limit(async () => {
      const response = await fetch(`${server.url}/v2/${repository}/tags/list`);
      return (await response.json()).tags ?? [];
    });
    await Promise.all(
      names.map((tag) =>
        limit(async () => {
          const response = await fetch(`${server.url}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json' } });
          if (response.headers.get('docker-content-digest')) tags++;
        })
      )
    );
  };
  let url = `${server.url}/v2/_catalog`;
  while (url) {
    const response = await fetch(url);
    const { repositories } = await response.json();
    for (const repository of repositories) {
      const task = work(repository).finally(() => running.delete(task));
      running.add(task);
      if (running.size >= CONCURRENCY) await Promise.race(running);
    }
    const link = /<([^>]*)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    url = link ? new URL(link, server.url).toString() : '';
  }
  await Promise.all(running);
  return tags;
}

const timed = async (work) => {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
};

const inSync = createRelay({ auth: { unauthenticated: true } });
await reconcile({ client, relay: inSync, concurrency: CONCURRENCY });
const samples = { bare: [], first: [], steady: [] };
let heapGrowth = 0;
for (let round = 0; round < ROUNDS; round++) {
  const bare = await timed(bareLoop);
  if (bare.value !== REPOSITORIES * TAGS_PER_REPOSITORY) throw new Error(`the bare loop saw ${bare.value} tags`);
  samples.bare.push(bare.ms);
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const fresh = createRelay({ auth: { unauthenticated: true } });
  const first = await timed(() => reconcile({ client, relay: fresh, concurrency: CONCURRENCY }));
  if (first.value.pushed !== REPOSITORIES * TAGS_PER_REPOSITORY) throw new Error(`the first run appended ${first.value.pushed}`);
  heapGrowth = Math.max(heapGrowth, process.memoryUsage().heapUsed - before);
  samples.first.push(first.ms);
  const steady = await timed(() => reconcile({ client, relay: inSync, concurrency: CONCURRENCY }));
  if (steady.value.pushed !== 0 || steady.value.tags !== REPOSITORIES * TAGS_PER_REPOSITORY) throw new Error('the steady run appended something');
  samples.steady.push(steady.ms);
}
const bare = median(samples.bare);
const results = {
  bareMs: Math.round(bare),
  firstRunMs: Math.round(median(samples.first)),
  steadyRunMs: Math.round(median(samples.steady)),
  firstRunRatio: Number((median(samples.first) / bare).toFixed(2)),
  steadyRunRatio: Number((median(samples.steady) / bare).toFixed(2)),
  firstRunHeapGrowthMiB: Number((heapGrowth / 1024 / 1024).toFixed(1)),
};
console.log(`reconcile ${REPOSITORIES} repositories / ${REPOSITORIES * TAGS_PER_REPOSITORY} tags, concurrency ${CONCURRENCY}, median of ${ROUNDS} alternating rounds`);
console.table(results);
registry.close();
await server.close();
