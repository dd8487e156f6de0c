// Benchmark: `plan` over 100 repositories holding 100,000 tags in all (the mock registry served
// over HTTP, usage recorded from its push events with references, so the plan needs no manifest
// GET), against listing the same tags with the registry client alone (catalog, then tags of each
// repository, with the same concurrency). Alternating rounds; medians. Needs a build.
// BENCH_REPOSITORIES and BENCH_TAGS_PER_REPOSITORY make it smaller for a quick look; where the
// time goes: `node bench/plan.profile.mjs`.
import { performance } from 'node:perf_hooks';
import { createRegistryClient } from '@regevents/registry-client';
import { saveBenchReport } from '@regevents/registry-harness';
import { plan, RETENTION_USER_AGENT } from '@regevents/retention';
import { CONCURRENCY, listTags, setUpWorkload } from './workload.mjs';

const REPOSITORIES = Number(process.env.BENCH_REPOSITORIES ?? 100);
const TAGS_PER_REPOSITORY = Number(process.env.BENCH_TAGS_PER_REPOSITORY ?? 1000);
const ROUNDS = 5;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const setupStarted = performance.now();
const workload = await setUpWorkload({ repositories: REPOSITORIES, tagsPerRepository: TAGS_PER_REPOSITORY });
const setupMs = performance.now() - setupStarted;
const { policy, store } = workload;
const client = createRegistryClient({ baseUrl: workload.url, userAgent: RETENTION_USER_AGENT });
const listAll = () => listTags(client);

async function planAll() {
  const planned = await plan(policy, { client, store, concurrency: CONCURRENCY, clock: () => Date.now() + 60 * 86_400_000 });
  return planned.summary.tags.kept + planned.summary.tags.removed;
}

const expected = REPOSITORIES * TAGS_PER_REPOSITORY;
const times = { list: [], plan: [] };
for (let round = -1; round < ROUNDS; round++) {
  for (const [name, task] of [['list', listAll], ['plan', planAll]]) {
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
// each plan round against the listing just before it: the spread a busy machine gives
const roundRatios = times.plan.map((ms, round) => ms / times.list[round]).sort((a, b) => a - b);
await saveBenchReport({
  package: '@regevents/retention',
  title: `plan over ${REPOSITORIES} repositories, ${expected} tags (mock registry over HTTP, usage from events)`,
  baseline: 'listing the same tags with the registry client alone',
  unit: 'tags/s',
  results: [
    { name: 'list tags (registry client)', opsPerSecond: expected / (listMs / 1000), ratio: 1 },
    { name: 'plan (retention)', opsPerSecond: expected / (planMs / 1000), ratio: listMs / planMs },
  ],
  notes: [`median of ${ROUNDS} alternating rounds: list ${listMs.toFixed(0)} ms, plan ${planMs.toFixed(0)} ms, plan/list ${(planMs / listMs).toFixed(2)}x (rounds ${roundRatios[0].toFixed(2)}-${roundRatios.at(-1).toFixed(2)}x); setup (pushes) ${(setupMs / 1000).toFixed(0)} s`],
  target: 'plan within 1.5x of the listing',
});
await workload.close();
