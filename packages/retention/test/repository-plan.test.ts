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
  // no column holds its default (0 pulls, events history, no times): a column copied out of step shows
  addCandidate(tags, { tag: 'new', digest: digest(1), pushedAtSource: 'config-created', pulls: 3, history: 'registry' }, NOW - DAY, NOW - 2 * DAY);
  addCandidate(tags, { tag: 'old', digest: digest(2), pushedAtSource: 'push-event', pulls: 5, history: 'events' }, NOW - 30 * DAY, NOW - 20 * DAY);
  const manifests = new Map([1, 2, 3].map((n) => [digest(n), image(n, NOW - 30 * DAY)]));
  Object.assign(manifests.get(digest(3))!, { pushedAtSource: 'first-event', pulls: 7, lastPulledAt: NOW - 25 * DAY });
  const inventory: RepositoryInventory = { repository: 'team/app', tags, referrerTags: [], referrers: new Map(), manifests, untagged: [digest(3)] };
  const before = structuredClone(inventory);

  const planned = planRepository(inventory, compilePolicy(policy!).policyFor('team/app'), { now: NOW, deleteTags: false, iso: isoFormatter() });

  expect(planned.entries.map((entry) => [entry.tag ?? 'untagged', entry.action, entry.why])).toEqual([
    ['new', 'keep', 'keep last 1 by pushed'],
    ['old', 'remove', 'remove older than 240h0m0s by pushed'],
    ['untagged', 'remove', 'remove untagged'],
  ]);
  const iso = (ms: number) => new Date(ms).toISOString();
  const ruleOf = (rule: number, description: string) => ({ policy: 0, rule, description });
  expect(planned.entries).toEqual([
    { repository: 'team/app', tag: 'new', digest: digest(1), action: 'keep', reason: 'rule', rule: ruleOf(0, 'keep last 1 by pushed'), why: 'keep last 1 by pushed', pushedAt: iso(NOW - DAY), pushedAtSource: 'config-created', lastPulledAt: iso(NOW - 2 * DAY), pulls: 3, history: 'registry' },
    { repository: 'team/app', tag: 'old', digest: digest(2), action: 'remove', reason: 'rule', rule: ruleOf(2, 'remove older than 240h0m0s by pushed'), why: 'remove older than 240h0m0s by pushed', pushedAt: iso(NOW - 30 * DAY), pushedAtSource: 'push-event', lastPulledAt: iso(NOW - 20 * DAY), pulls: 5, history: 'events' },
    { repository: 'team/app', tag: undefined, digest: digest(3), action: 'remove', reason: 'rule', rule: ruleOf(1, 'remove untagged'), why: 'remove untagged', pushedAt: iso(NOW - 30 * DAY), pushedAtSource: 'first-event', lastPulledAt: iso(NOW - 25 * DAY), pulls: 7, history: 'events' },
  ]);
  expect(inventory).toEqual(before);
});
