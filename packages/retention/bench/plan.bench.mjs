// Benchmark: `plan` over 100 repositories holding 100,000 tags in all (the mock registry served
// over HTTP, usage recorded from its push events with references, so the plan needs no manifest
// GET), against listing the same tags with the registry client alone (catalog, then tags of each
// repository, with the same concurrency). Alternating rounds; medians. Needs a build.
// BENCH_REPOSITORIES and BENCH_TAGS_PER_REPOSITORY make it smaller for a quick look.
import { performance } from 'node:perf_hooks';
import { createMockRegistry } from '@regevents/mock-registry/node';
import { createRegistryClient } from '@regevents/registry-client';
import { saveBenchReport } from '@regevents/registry-harness';
import { createMemoryUsageStore, createUsageTracker, parseRetentionPolicy, plan, RETENTION_USER_AGENT } from '@regevents/retention';

const REPOSITORIES = Number(process.env.BENCH_REPOSITORIES ?? 100);
const TAGS_PER_REPOSITORY = Number(process.env.BENCH_TAGS_PER_REPOSITORY ?? 1000);
const IMAGES = 20;
const ROUNDS = 5;
const CONCURRENCY = 8;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const store = createMemoryUsageStore();
const tracker = createUsageTracker({ store });
const pending = [];
const registry = createMockRegistry({
  notifications: { events: { includeReferences: true }, endpoints: [] },
  // usage from the events as they happen; the mock's own record of them is dropped to bound memory
  observer: { onEvent: (recorded) => void pending.push(tracker.record(recorded.event)) },
});
const server = await registry.serve();

const setupStarted = performance.now();
const images = [];
for (let i = 0; i < IMAGES; i++) images.push(await registry.pushImage(`base:${i}`, { seed: i + 1 }));
for (let r = 0; r < REPOSITORIES; r++) {
  for (let t = 0; t < TAGS_PER_REPOSITORY; t++) {
    const tag = t % 50 === 0 ? `v1.${t}.0` : `build-${t}`;
    await registry.pushImage(`team-${r}/app:${tag}`, images[(r + t) % IMAGES]);
  }
  await Promise.all(pending.splice(0));
  registry.events.length = 0;
}
const setupMs = performance.now() - setupStarted;
const repositories = [];
for (let r = 0; r < REPOSITORIES; r++) repositories.push(`team-${r}/app`);

const { policy, diagnostics } = parseRetentionPolicy(`
policies:
  - repositories: ['team-*/**']
    rules:
      - keep: { last: 10, by: pushed }
      - keep: { tags: { semver: '>=1.0.0' } }
      - remove: { notPulledFor: 720h }
`);
if (!policy) throw new Error(JSON.stringify(diagnostics));
const client = createRegistryClient({ baseUrl: server.url, userAgent: RETENTION_USER_AGENT });

async function listTags() {
  let count = 0;
  const names = [];
  for await (const name of client.catalog()) names.push(name);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < names.length) {
        const name = names[next++];
        if (!name.startsWith('team-')) continue;
        for await (const _tag of client.tags(name)) count++;
      }
    }),
  );
  return count;
}

async function planAll() {
  const planned = await plan(policy, { client, store, concurrency: CONCURRENCY, clock: () => Date.now() + 60 * 86_400_000 });
  return planned.summary.tags.kept + planned.summary.tags.removed;
}

const expected = REPOSITORIES * TAGS_PER_REPOSITORY;
const times = { list: [], plan: [] };
for (let round = -1; round < ROUNDS; round++) {
  for (const [name, task] of [['list', listTags], ['plan', planAll]]) {
    const started = performance.now();
    const seen = await task();
    const ms = performance.now() - started;
    if (name === 'list' && seen !== expected) throw new Error(`listing saw ${seen} tags, expected ${expected}`);
    if (name === 'plan' && seen < expected) throw new Error(`the plan decided ${seen} tags, expected at least ${expected}`);
    if (round >= 0) times[name].push(ms);
  }
}
const listMs = median(times.list);
const planMs = median(times.plan);
await saveBenchReport({
  package: '@regevents/retention',
  title: `plan over ${REPOSITORIES} repositories, ${expected} tags (mock registry over HTTP, usage from events)`,
  baseline: 'listing the same tags with the registry client alone',
  unit: 'tags/s',
  results: [
    { name: 'list tags (registry client)', opsPerSecond: expected / (listMs / 1000), ratio: 1 },
    { name: 'plan (retention)', opsPerSecond: expected / (planMs / 1000), ratio: listMs / planMs },
  ],
  notes: [`median of ${ROUNDS} alternating rounds: list ${listMs.toFixed(0)} ms, plan ${planMs.toFixed(0)} ms, plan/list ${(planMs / listMs).toFixed(2)}x; setup (pushes) ${(setupMs / 1000).toFixed(0)} s`],
  target: 'plan within 1.5x of the listing',
});
registry.close();
await server.close();
