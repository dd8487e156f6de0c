import { describe, expect, it } from 'vitest';
import { formatPlanTable, type PlanEntry, type RetentionPlan } from '../src/index.js';

const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const entry = (tag: string | undefined, n: number, action: 'keep' | 'remove', why: string, extra: Partial<PlanEntry> = {}): PlanEntry => ({
  repository: 'team/app',
  tag,
  digest: digest(n),
  action,
  reason: 'rule',
  why,
  pulls: 0,
  history: 'events',
  ...extra,
});

const plan: RetentionPlan = {
  createdAt: '2026-03-01T00:00:00.000Z',
  registry: 'http://registry.test',
  entries: [
    entry('v1.0.0', 1, 'keep', 'keep tags semver >=1.0.0', { pushedAt: '2026-01-02T03:04:05.000Z', lastPulledAt: '2026-02-01T00:00:00.000Z', pulls: 4 }),
    entry('build-7', 2, 'remove', 'remove not pulled for 720h0m0s', { pushedAt: '2026-01-05T00:00:00.000Z' }),
    entry(undefined, 3, 'remove', 'remove untagged'),
  ],
  deletions: [
    { repository: 'team/app', digest: digest(2), tags: ['build-7'], level: 0, parents: [], reclaimableBytes: 2048 },
    { repository: 'team/app', digest: digest(3), tags: [], level: 0, parents: [], reclaimableBytes: 512 },
  ],
  tagDeletions: [],
  reclaimableBytes: 2560,
  summary: { repositories: 1, untouchedRepositories: 0, tags: { kept: 1, removed: 1 }, manifests: { kept: 1, removed: 2 } },
};

describe('formatPlanTable', () => {
  it('prints repository, tag, digest and the dates by default, with the line of totals', () => {
    expect(formatPlanTable(plan).split('\n')).toEqual([
      'ACTION  REPOSITORY  TAG         DIGEST        PUSHED      PULLED      WHY',
      'keep    team/app    v1.0.0      111111111111  2026-01-02  2026-02-01  keep tags semver >=1.0.0',
      'remove  team/app    build-7     222222222222  2026-01-05  -           remove not pulled for 720h0m0s',
      'remove  team/app    <untagged>  333333333333  -           -           remove untagged',
      '',
      '1 tags and 2 manifests to remove, 1 tags kept; 2.5 KiB reclaimable after garbage-collect',
    ]);
  });

  it('prints the columns asked for, with each removal\'s reclaimable bytes, indented and without totals', () => {
    expect(formatPlanTable(plan, { columns: ['action', 'image', 'pulls', 'bytes', 'why'], summary: false, indent: '  ', only: 'remove' }).split('\n')).toEqual([
      '  ACTION  IMAGE                PULLS  BYTES    WHY',
      '  remove  team/app:build-7     0      2.0 KiB  remove not pulled for 720h0m0s',
      '  remove  team/app:<untagged>  0      512 B    remove untagged',
    ]);
    expect(formatPlanTable(plan, { columns: ['image', 'bytes'], summary: false }).split('\n')[1]).toBe('team/app:v1.0.0      -');
  });

  it('counts a removed manifest\'s bytes once, on the first of its rows, so the column adds up to the total', () => {
    const shared: RetentionPlan = {
      ...plan,
      entries: [entry('build-7', 2, 'remove', 'remove not pulled for 720h0m0s'), entry('build-8', 2, 'remove', 'remove not pulled for 720h0m0s'), entry(undefined, 3, 'remove', 'remove untagged'), entry('build-9', 2, 'remove', 'remove not pulled for 720h0m0s')],
      deletions: [
        { repository: 'team/app', digest: digest(2), tags: ['build-7', 'build-8', 'build-9'], level: 0, parents: [], reclaimableBytes: 2048 },
        { repository: 'team/app', digest: digest(3), tags: [], level: 0, parents: [], reclaimableBytes: 512 },
      ],
    };
    expect(formatPlanTable(shared, { columns: ['tag', 'bytes'], summary: false }).split('\n')).toEqual(['TAG         BYTES', 'build-7     2.0 KiB', 'build-8     0 B', '<untagged>  512 B', 'build-9     0 B']);
    // the rows printed decide which is first: with only one of them, it carries the bytes
    const lastOnly = { ...shared, entries: [entry('build-9', 2, 'remove', 'remove not pulled for 720h0m0s')] };
    expect(formatPlanTable(lastOnly, { columns: ['tag', 'bytes'], summary: false }).split('\n')[1]).toBe('build-9  2.0 KiB');
    // reading a row's bytes changes nothing: the column asked for twice prints the same twice
    expect(formatPlanTable(shared, { columns: ['tag', 'bytes', 'bytes'], summary: false }).split('\n')).toEqual(['TAG         BYTES    BYTES', 'build-7     2.0 KiB  2.0 KiB', 'build-8     0 B      0 B', '<untagged>  512 B    512 B', 'build-9     0 B      0 B']);
  });

  it('prints a plan of 300,000 tags, its columns as wide as their widest cell', () => {
    const entries = Array.from({ length: 300_000 }, (_, i): PlanEntry => ({ repository: 'team/app', tag: `build-${i}`, digest: `sha256:${i.toString(16).padStart(64, '0')}`, action: i % 3 === 0 ? 'keep' : 'remove', reason: 'rule', why: 'remove not pulled for 720h0m0s', pulls: 0, history: 'events' }));
    const lines = formatPlanTable({ ...plan, entries, deletions: [] }).split('\n');
    expect(lines).toHaveLength(300_000 + 3);
    expect(lines[0]).toBe(`ACTION  REPOSITORY  TAG${' '.repeat('build-299999'.length - 3)}  DIGEST        PUSHED  PULLED  WHY`);
    expect(lines[1]).toBe(`keep    team/app    build-0${' '.repeat(5)}  000000000000  -       -       remove not pulled for 720h0m0s`);
  });
});
