// Benchmark: `plan` over 100 repositories holding 100,000 tags in all (the mock registry served
// over HTTP, usage recorded from its push events with references, so the plan needs no manifest
// GET), against listing the same tags with the registry client alone (catalog, then tags of each
// repository, with the same concurrency). Alternating rounds; medians. Needs a build.
//
// Twice: with the mock in a child process, as a registry is deployed (the reported rows: its CPU
// is not this process's, and the plan's own work can overlap the registry's), then with the mock
// in this process (in the notes: the registry's CPU counts in both rows and overlaps nothing).
// BENCH_REGISTRY=child or =same runs one of them; BENCH_REPOSITORIES and BENCH_TAGS_PER_REPOSITORY
// make it smaller for a quick look; where the time goes: `node bench/plan.profile.mjs`.
import { performance } from 'node:perf_hooks';
import { createRegistryClient } from '@regevents/registry-client';
import { saveBenchReport } from '@regevents/registry-harness';
import { plan, RETENTION_USER_AGENT } from '@regevents/retention';
import { CONCURRENCY, listTags, setUpWorkload } from './workload.mjs';

const REPOSITORIES = Number(process.env.BENCH_REPOSITORIES ?? 100);
const TAGS_PER_REPOSITORY = Number(process.env.BENCH_TAGS_PER_REPOSITORY ?? 1000);
const REGISTRIES = (process.env.BENCH_REGISTRY ?? 'child,same').split(',');
const ROUNDS = 5;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const expected = REPOSITORIES * TAGS_PER_REPOSITORY;
const cpuMsSince = (started) => {
  const { user, system } = process.cpuUsage(started);
  return (user + system) / 1000;
};

/** Alternating rounds of the listing and the plan against one registry: wall and CPU time of each. */
async function measure(registry) {
  const setupStarted = performance.now();
  const workload = await setUpWorkload({ repositories: REPOSITORIES, tagsPerRepository: TAGS_PER_REPOSITORY, registry });
  const setupMs = performance.now() - setupStarted;
  const { policy, store } = workload;
  const client = createRegistryClient({ baseUrl: workload.url, userAgent: RETENTION_USER_AGENT });
  const planAll = async () => {
    const planned = await plan(policy, { client, store, concurrency: CONCURRENCY, clock: () => Date.now() + 60 * 86_400_000 });
    return planned.summary.tags.kept + planned.summary.tags.removed;
  };
  const times = { list: [], plan: [] };
  for (let round = -1; round < ROUNDS; round++) {
    for (const [name, task] of [['list', () => listTags(client)], ['plan', planAll]]) {
      const registryCpu = await workload.registryCpuMs?.();
      const cpu = process.cpuUsage();
      const started = performance.now();
      const seen = await task();
      const ms = performance.now() - started;
      const cpuMs = cpuMsSince(cpu);
      const registryCpuMs = registryCpu === undefined ? undefined : (await workload.registryCpuMs()) - registryCpu;
      if (name === 'list' && seen !== expected) throw new Error(`listing saw ${seen} tags, expected ${expected}`);
      if (name === 'plan' && seen < expected) throw new Error(`the plan decided ${seen} tags, expected at least ${expected}`);
      if (round >= 0) times[name].push({ ms, cpuMs, registryCpuMs });
    }
  }
  await workload.close();
  const of = (name, key) => median(times[name].map((round) => round[key]));
  // each plan round against the listing just before it: the spread a busy machine gives
  const ratios = times.plan.map((round, at) => round.ms / times.list[at].ms).sort((a, b) => a - b);
  return { registry, setupMs, listMs: of('list', 'ms'), planMs: of('plan', 'ms'), ratios, of };
}

const µsPerTag = (ms) => ((ms * 1000) / expected).toFixed(2);
function note({ registry, setupMs, listMs, planMs, ratios, of }) {
  const where = registry === 'child' ? 'mock in a child process' : 'mock in this process';
  const cpu = (name) => `${name} ${of(name, 'ms').toFixed(0)} ms (${µsPerTag(of(name, 'cpuMs'))} µs/tag CPU here${registry === 'child' ? `, ${µsPerTag(of(name, 'registryCpuMs'))} in the registry` : ''})`;
  return `${where}: median of ${ROUNDS} alternating rounds, plan/list ${(planMs / listMs).toFixed(2)}x (rounds ${ratios[0].toFixed(2)}-${ratios.at(-1).toFixed(2)}x); ${cpu('list')}, ${cpu('plan')}; setup (pushes) ${(setupMs / 1000).toFixed(0)} s`;
}

const measured = [];
for (const registry of REGISTRIES) measured.push(await measure(registry));
const [reported] = measured;
await saveBenchReport({
  package: '@regevents/retention',
  title: `plan over ${REPOSITORIES} repositories, ${expected} tags (mock registry over HTTP${reported.registry === 'child' ? ' in a child process' : ''}, usage from events)`,
  baseline: 'listing the same tags with the registry client alone',
  unit: 'tags/s',
  results: [
    { name: 'list tags (registry client)', opsPerSecond: expected / (reported.listMs / 1000), ratio: 1 },
    { name: 'plan (retention)', opsPerSecond: expected / (reported.planMs / 1000), ratio: reported.listMs / reported.planMs },
  ],
  notes: measured.map(note),
  target: 'plan within 1.5x of the listing',
});
