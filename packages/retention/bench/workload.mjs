// The workload plan.bench.mjs measures and plan.profile.mjs takes apart: `repositories`
// repositories of `tagsPerRepository` tags each (every 50th a release, v1.N.0) over 20 images,
// pushed to the mock registry with usage recorded from its push events (with references, so the
// plan needs no manifest GET), a three-rule policy, and the baseline: the tags listed with the
// registry client alone.
//
// `registry: 'child'` serves the mock from a child process (bench/registry-process.mjs), as a
// registry is deployed: its CPU is then not the measured process's (`registryCpuMs()` asks it for
// its own), and the two can overlap on separate cores. The default, 'same', serves it in this process.
import { fork } from 'node:child_process';
import { createMockRegistry } from '@regevents/mock-registry/node';
import { createMemoryUsageStore, createUsageTracker, parseRetentionPolicy } from '@regevents/retention';

const IMAGES = 20;
export const CONCURRENCY = 8;
/** What the registry emits events with: references, so usage holds every manifest's blobs. */
export const NOTIFICATIONS = { events: { includeReferences: true }, endpoints: [] };

/** Pushes the workload's tags; `repositoryDone` runs after each repository (to hand its events on and drop them). */
export async function pushWorkload(registry, { repositories, tagsPerRepository }, repositoryDone) {
  const images = [];
  for (let i = 0; i < IMAGES; i++) images.push(await registry.pushImage(`base:${i}`, { seed: i + 1 }));
  for (let r = 0; r < repositories; r++) {
    for (let t = 0; t < tagsPerRepository; t++) await registry.pushImage(`team-${r}/app:${t % 50 === 0 ? `v1.${t}.0` : `build-${t}`}`, images[(r + t) % IMAGES]);
    await repositoryDone();
    registry.events.length = 0;
  }
}

/** The mock served here, usage recorded as its events happen; resolves to its URL and how to close it. */
async function registryHere(size, record) {
  const pending = [];
  const registry = createMockRegistry({
    notifications: NOTIFICATIONS,
    // the mock's own record of the events is dropped to bound memory
    observer: { onEvent: (recorded) => void pending.push(record(recorded.event)) },
  });
  const server = await registry.serve();
  await pushWorkload(registry, size, () => Promise.all(pending.splice(0)));
  return {
    url: server.url,
    async close() {
      registry.close();
      await server.close();
    },
  };
}

/**
 * The mock served by a child process, its events sent here over IPC (in order: a repository's
 * events before its `repositoryDone`, all of them before its URL). Each repository's records are
 * handed on when it is done, as registryHere does; the child's exit, at any time, fails whatever waits on it.
 */
async function registryInChild(size, record) {
  const child = fork(new URL('./registry-process.mjs', import.meta.url), [JSON.stringify(size)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise((_, reject) => child.once('exit', (code, signal) => reject(new Error(`the registry process exited (${signal ?? code})`))));
  exited.catch(() => {}); // heard by whoever waits on the child, and by nobody once it is closed
  const pending = [];
  let recorded = Promise.resolve();
  const served = new Promise((resolve, reject) => {
    child.on('error', reject); // spawning, or a message to a child gone (its exit says so too)
    child.on('message', (message) => {
      if (message.event) pending.push(record(message.event));
      else if (message.repositoryDone) recorded = Promise.all([recorded, ...pending.splice(0)]).then(() => undefined);
      else if (message.url) resolve(message.url);
    });
  });
  const url = await Promise.race([served, exited]);
  await Promise.all([recorded, ...pending.splice(0)]);
  return {
    url,
    cpuMs: () => {
      if (!child.connected) return exited;
      child.send('cpu');
      return Promise.race([new Promise((resolve) => child.once('message', (message) => resolve(message.cpuMs))), exited]);
    },
    async close() {
      child.kill();
      await exited.catch(() => {});
    },
  };
}

export async function setUpWorkload({ repositories, tagsPerRepository, registry = 'same' }) {
  const store = createMemoryUsageStore();
  const tracker = createUsageTracker({ store });
  const record = (event) => tracker.record(event);
  const served = await (registry === 'child' ? registryInChild : registryHere)({ repositories, tagsPerRepository }, record);
  const { policy, diagnostics } = parseRetentionPolicy(`
policies:
  - repositories: ['team-*/**']
    rules:
      - keep: { last: 10, by: pushed }
      - keep: { tags: { semver: '>=1.0.0' } }
      - remove: { notPulledFor: 720h }
`);
  if (!policy) throw new Error(JSON.stringify(diagnostics));
  return { store, policy, url: served.url, registryCpuMs: served.cpuMs, close: served.close };
}

/** The baseline: the catalog, then every `team-*` repository's tags, CONCURRENCY at a time; resolves to the number of tags. */
export async function listTags(client) {
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
