// The workload plan.bench.mjs measures and plan.profile.mjs takes apart: `repositories`
// repositories of `tagsPerRepository` tags each (every 50th a release, v1.N.0) over 20 images,
// pushed to the mock registry with usage recorded from its push events (with references, so the
// plan needs no manifest GET), a three-rule policy, and the baseline: the tags listed with the
// registry client alone.
import { createMockRegistry } from '@regevents/mock-registry/node';
import { createMemoryUsageStore, createUsageTracker, parseRetentionPolicy } from '@regevents/retention';

const IMAGES = 20;
export const CONCURRENCY = 8;

export async function setUpWorkload({ repositories, tagsPerRepository }) {
  const store = createMemoryUsageStore();
  const tracker = createUsageTracker({ store });
  const pending = [];
  const registry = createMockRegistry({
    notifications: { events: { includeReferences: true }, endpoints: [] },
    // usage from the events as they happen; the mock's own record of them is dropped to bound memory
    observer: { onEvent: (recorded) => void pending.push(tracker.record(recorded.event)) },
  });
  const server = await registry.serve();
  const images = [];
  for (let i = 0; i < IMAGES; i++) images.push(await registry.pushImage(`base:${i}`, { seed: i + 1 }));
  for (let r = 0; r < repositories; r++) {
    for (let t = 0; t < tagsPerRepository; t++) await registry.pushImage(`team-${r}/app:${t % 50 === 0 ? `v1.${t}.0` : `build-${t}`}`, images[(r + t) % IMAGES]);
    await Promise.all(pending.splice(0));
    registry.events.length = 0;
  }
  const { policy, diagnostics } = parseRetentionPolicy(`
policies:
  - repositories: ['team-*/**']
    rules:
      - keep: { last: 10, by: pushed }
      - keep: { tags: { semver: '>=1.0.0' } }
      - remove: { notPulledFor: 720h }
`);
  if (!policy) throw new Error(JSON.stringify(diagnostics));
  return {
    store,
    policy,
    url: server.url,
    async close() {
      registry.close();
      await server.close();
    },
  };
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
