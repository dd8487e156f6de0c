import { expect, it } from 'vitest';
import { parseRetentionPolicy } from '../src/index.js';
import { compilePolicy } from '../src/policy/decide.js';
import { addCandidate, candidateList, type ManifestNode, type RepositoryInventory } from '../src/plan/inventory.js';
import { isoFormatter } from '../src/plan/iso-time.js';
import { planRepository } from '../src/plan/repository-plan.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const image = (n: number, pushedAt: number): ManifestNode => ({ digest: digest(n), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 100, blobs: [], children: [], pushedAt, pushedAtSource: 'push-event', pulls: 0 });

it('plans a repository without changing its inventory, untagged manifests included', () => {
  const { policy } = parseRetentionPolicy(`
policies:
  - repositories: ['team/*']
    rules:
      - keep: { last: 1 }
      - remove: { untagged: true }
      - remove: { olderThan: 240h }
`);
  const tags = candidateList(2);
  addCandidate(tags, { tag: 'new', digest: digest(1), pushedAtSource: 'push-event', pulls: 0, history: 'events' }, NOW - DAY, undefined);
  addCandidate(tags, { tag: 'old', digest: digest(2), pushedAtSource: 'push-event', pulls: 0, history: 'events' }, NOW - 30 * DAY, undefined);
  const manifests = new Map([1, 2, 3].map((n) => [digest(n), image(n, NOW - 30 * DAY)]));
  const inventory: RepositoryInventory = { repository: 'team/app', tags, referrerTags: [], referrers: new Map(), manifests, untagged: [digest(3)] };
  const before = structuredClone(inventory);

  const planned = planRepository(inventory, compilePolicy(policy!).policyFor('team/app'), { now: NOW, deleteTags: false, iso: isoFormatter() });

  expect(planned.entries.map((entry) => [entry.tag ?? 'untagged', entry.action, entry.why])).toEqual([
    ['new', 'keep', 'keep last 1 by pushed'],
    ['old', 'remove', 'remove older than 240h0m0s by pushed'],
    ['untagged', 'remove', 'remove untagged'],
  ]);
  expect(inventory).toEqual(before);
});
