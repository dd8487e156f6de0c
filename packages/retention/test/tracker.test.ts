import type { Event } from '@regevents/types';
import { expect, it } from 'vitest';
import { createMemoryUsageStore, createUsageTracker } from '../src/index.js';

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
let ids = 0;
function event(action: Event['action'], target: Record<string, unknown>, useragent = 'docker/27.0'): Event {
  return {
    id: `e${++ids}`,
    timestamp: '2026-03-01T10:00:00.123456789Z',
    action,
    target: { repository: 'app', ...target },
    request: { id: 'r', method: 'GET', useragent },
    actor: {},
    source: {},
  } as unknown as Event;
}
const manifest = (digest: string, tag?: string) => ({ mediaType: MANIFEST, digest, size: 400, url: `http://r/v2/app/manifests/${digest}`, ...(tag ? { tag } : {}) });

it("counts users' pulls and leaves out the project's own tools and the configured User-Agents", async () => {
  const store = createMemoryUsageStore();
  const tracker = createUsageTracker({ store, ignoreUserAgents: ['Trivy/'] });
  await tracker.record(event('push', manifest('sha256:a', '1.0'), 'ci/1'));
  for (const agent of ['kubelet/v1.30', 'regevents-replication/0.1.0', 'regevents-retention/0.1.0', 'trivy/0.50', 'containerd/1.7']) await tracker.record(event('pull', manifest('sha256:a', '1.0'), agent));
  const usage = await store.repository('app');
  expect(usage.tags.get('1.0')?.pulls).toBe(2);
  expect(usage.manifests.get('sha256:a')).toMatchObject({ pulls: 2, pushedAt: Date.parse('2026-03-01T10:00:00.123Z') });
  expect(tracker.ignores('REGEVENTS-registry-client/0.1.0')).toBe(true);
  expect(tracker.ignores(undefined)).toBe(false);
});

it('ignores blob events, and forgets tags and manifests on their delete events', async () => {
  const store = createMemoryUsageStore();
  const tracker = createUsageTracker({ store, timeOf: () => 42 });
  await tracker.record(event('push', { mediaType: 'application/octet-stream', digest: 'sha256:blob', size: 1, url: 'http://r/v2/app/blobs/sha256:blob' }));
  await tracker.record(event('push', manifest('sha256:b', 'gone')));
  expect((await store.repository('app')).manifests.get('sha256:b')?.pushedAt).toBe(42);
  await tracker.record(event('delete', { digest: 'sha256:b' }));
  await tracker.record(event('delete', { tag: 'gone' }));
  const usage = await store.repository('app');
  expect(usage.manifests.size + usage.tags.size).toBe(0);
});
