// Where plan's time goes, next to the bare listing it is benchmarked against: the requests each
// makes, the bytes each allocates per round (sampling heap profiler) and CPU samples by part
// (mock registry, registry client, inventory, rules and entries, usage store, GC). Figures are
// for one process on a possibly busy machine: compare the two columns, not runs. Needs a build.
// PROFILE_REPOSITORIES (default 10) repositories of 1000 tags, as in plan.bench.mjs;
// PROFILE_REGISTRY=child serves the mock from a child process (then only the client's side is here).
import { Session } from 'node:inspector/promises';
import { createRegistryClient } from '@regevents/registry-client';
import { plan, RETENTION_USER_AGENT } from '@regevents/retention';
import { CONCURRENCY, listTags, setUpWorkload } from './workload.mjs';

const REPOSITORIES = Number(process.env.PROFILE_REPOSITORIES ?? 10);
const ROUNDS = 10;
const workload = await setUpWorkload({ repositories: REPOSITORIES, tagsPerRepository: 1000, registry: process.env.PROFILE_REGISTRY ?? 'same' });
const { policy, store } = workload;

const requests = new Map();
const kindOf = (url, method) => `${method} ${/\/tags\/list/.test(url) ? 'tags/list' : /\/manifests\//.test(url) ? 'manifest' : /\/blobs\//.test(url) ? 'blob' : /_catalog/.test(url) ? 'catalog' : 'other'}`;
const client = createRegistryClient({
  baseUrl: workload.url,
  userAgent: RETENTION_USER_AGENT,
  fetch: (input, init) => {
    const kind = kindOf(String(input instanceof Request ? input.url : input), init?.method ?? 'GET');
    requests.set(kind, (requests.get(kind) ?? 0) + 1);
    return fetch(input, init);
  },
});
const list = () => listTags(client);
const planAll = () => plan(policy, { client, store, concurrency: CONCURRENCY, clock: () => Date.now() + 60 * 86_400_000 });
const tasks = { list, plan: planAll };

const PARTS = [
  ['mock registry (both)', /mock-registry/],
  ['registry client, fetch (both)', /registry-client|undici/],
  ['usage store', /usage\/memory-store/],
  ['rules and entries', /plan\/repository-plan|policy\/|iso-time/],
  ['inventory', /plan\/inventory/],
  ['plan totals, reclaim, safety', /plan\/plan|plan\/reclaim|plan\/safety/],
];
function parts(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const counts = new Map();
  for (const sample of profile.samples) {
    let part;
    for (let id = sample; id !== undefined && !part; id = parent.get(id)) part = PARTS.find(([, pattern]) => pattern.test(byId.get(id).callFrame.url))?.[0];
    part ??= byId.get(sample).callFrame.functionName === '(garbage collector)' ? 'garbage collector' : 'other (node, event loop)';
    counts.set(part, (counts.get(part) ?? 0) + 1);
  }
  return counts;
}

for (const task of Object.values(tasks)) for (let i = 0; i < 3; i++) await task();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
const report = {};
for (const [name, task] of Object.entries(tasks)) {
  requests.clear();
  await task();
  const made = Object.fromEntries(requests);
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  for (let i = 0; i < 3; i++) await task();
  const { profile: heap } = await session.post('HeapProfiler.stopSampling');
  const bytes = (node) => node.selfSize + node.children.reduce((sum, child) => sum + bytes(child), 0);
  await session.post('Profiler.start');
  const cpu = process.cpuUsage();
  for (let i = 0; i < ROUNDS; i++) await task();
  const used = process.cpuUsage(cpu);
  const { profile } = await session.post('Profiler.stop');
  report[name] = { requests: made, allocatedMB: bytes(heap.head) / 3 / 1e6, cpuMs: (used.user + used.system) / 1000 / ROUNDS, parts: parts(profile), samples: profile.samples.length };
}
console.log(`${REPOSITORIES} repositories, ${REPOSITORIES * 1000} tags; per round:`);
for (const [name, { requests: made, allocatedMB, cpuMs, parts: counts, samples }] of Object.entries(report)) {
  console.log(`\n${name}: ${cpuMs.toFixed(1)} ms CPU, ${allocatedMB.toFixed(1)} MB allocated, requests ${JSON.stringify(made)}`);
  for (const [part, count] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${((cpuMs * count) / samples).toFixed(1).padStart(6)} ms  ${part}`);
}
await workload.close();
