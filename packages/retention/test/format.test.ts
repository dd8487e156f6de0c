import { expect, it } from 'vitest';
import { formatPlanTable, type PlanEntry, type RetentionPlan } from '../src/index.js';

function planOf(entries: PlanEntry[]): RetentionPlan {
  const removed = entries.filter((entry) => entry.action === 'remove').length;
  return { createdAt: new Date(0).toISOString(), registry: 'http://127.0.0.1:5000', entries, deletions: [], tagDeletions: [], reclaimableBytes: 0, summary: { repositories: 1, untouchedRepositories: 0, tags: { kept: entries.length - removed, removed }, manifests: { kept: 0, removed: 0 } } };
}

it('prints a plan of 300,000 tags as a table, its columns as wide as their widest cell', () => {
  const entries = Array.from({ length: 300_000 }, (_, i): PlanEntry => ({ repository: 'team/app', tag: `build-${i}`, digest: `sha256:${i.toString(16).padStart(64, '0')}`, action: i % 3 === 0 ? 'keep' : 'remove', reason: 'rule', why: 'remove not pulled for 720h0m0s', pulls: 0, history: 'events' }));
  const lines = formatPlanTable(planOf(entries)).split('\n');
  expect(lines).toHaveLength(300_000 + 3);
  expect(lines[0]).toBe(`ACTION  REPOSITORY  TAG${' '.repeat('build-299999'.length - 3)}  DIGEST        PUSHED  PULLED  WHY`);
  expect(lines[1]).toBe(`keep    team/app    build-0${' '.repeat(5)}  000000000000  -       -       remove not pulled for 720h0m0s`);
});
