import { expect, it } from 'vitest';
import { checkRetentionPolicy, parseRetentionPolicy } from '../src/index.js';
import { compilePolicy, decide } from '../src/policy/decide.js';
import { candidatesOf, type Candidate } from './candidates.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);

it('reads every rule kind from YAML into checked data (durations in ms, by defaults to pushed)', () => {
  const { policy, diagnostics } = parseRetentionPolicy(`
policies:
  - repositories: ['team/*']
    exclude: { repositories: [team/keep] }
    rules:
      - keep: { last: 3 }
      - keep: { last: 2, by: pulled }
      - keep: { tags: { semver: '^2' } }
      - keep: { tags: [release-*] }
      - remove: { untagged: true }
      - remove: { olderThan: 2160h }
      - remove: { notPulledFor: 720h }
`);
  expect(diagnostics).toEqual([]);
  expect(policy?.policies[0]).toEqual({
    repositories: ['team/*'],
    exclude: { repositories: ['team/keep'] },
    rules: [
      { keep: { last: 3, by: 'pushed' } },
      { keep: { last: 2, by: 'pulled' } },
      { keep: { tags: { semver: '^2' } } },
      { keep: { tags: { glob: ['release-*'] } } },
      { remove: { untagged: true } },
      { remove: { olderThanMs: 90 * DAY, by: 'pushed' } },
      { remove: { notPulledForMs: 30 * DAY } },
    ],
  });
});

it.each([
  [{}, 'policies', 'missing-key'],
  [{ policies: [{ rules: [{ remove: { untagged: true } }] }] }, 'policies[0].repositories', 'missing-key'],
  [{ policies: [{ repositories: ['a'], rules: [] }] }, 'policies[0].rules', 'missing-key'],
  [{ policies: [{ repositories: ['a'], rules: [{ keep: { last: 1 }, remove: { untagged: true } }] }] }, 'policies[0].rules[0]', 'invalid-value'],
  [{ policies: [{ repositories: ['a'], rules: [{ keep: { last: 1.5 } }] }] }, 'policies[0].rules[0].keep.last', 'invalid-type'],
  [{ policies: [{ repositories: ['a'], rules: [{ keep: { last: 2, by: 'popular' } }] }] }, 'policies[0].rules[0].keep.by', 'invalid-value'],
  [{ policies: [{ repositories: ['a'], rules: [{ keep: { tags: { regex: '(' } } }] }] }, 'policies[0].rules[0].keep.tags.regex', 'invalid-regex'],
  [{ policies: [{ repositories: ['a'], rules: [{ keep: { tags: { semver: 'not a range' } } }] }] }, 'policies[0].rules[0].keep.tags.semver', 'invalid-semver-range'],
  [{ policies: [{ repositories: ['a'], rules: [{ remove: { untagged: false } }] }] }, 'policies[0].rules[0].remove.untagged', 'invalid-value'],
  [{ policies: [{ repositories: ['a'], rules: [{ remove: { olderThan: 3600 } }] }] }, 'policies[0].rules[0].remove.olderThan', 'invalid-duration'],
  [{ policies: [{ repositories: ['a'], rules: [{ remove: { notPulledFor: '30x' } }] }] }, 'policies[0].rules[0].remove.notPulledFor', 'invalid-duration'],
  [{ policies: [{ repositories: ['a'], rules: [{ remove: { notPulledFor: '30d-1h' } }] }] }, 'policies[0].rules[0].remove.notPulledFor', 'invalid-duration'],
  [{ policies: [{ repositories: ['a'], rules: [{ remove: { olderThan: '1h', notPulledFor: '1h' } }] }] }, 'policies[0].rules[0].remove', 'invalid-value'],
])('refuses %j with an error at %s (%s)', (value, path, code) => {
  const { policy, diagnostics } = checkRetentionPolicy(value);
  expect(policy).toBeUndefined();
  expect(diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', path, code }));
});

it('warns about unknown keys, and about a policy that removes nothing', () => {
  const { policy, diagnostics } = checkRetentionPolicy({ policies: [{ repositories: ['a'], rules: [{ keep: { last: 1, bye: 'pushed' } }] }] });
  expect(policy).toBeDefined();
  expect(diagnostics.map((d) => [d.severity, d.code, d.path])).toEqual([
    ['warning', 'unknown-key', 'policies[0].rules[0].keep.bye'],
    ['warning', 'nothing-removed', 'policies[0].rules'],
  ]);
});

it('refuses YAML it cannot read, with a line', () => {
  const { policy, diagnostics } = parseRetentionPolicy('policies:\n  - repositories: [a\n');
  expect(policy).toBeUndefined();
  expect(diagnostics[0]).toMatchObject({ severity: 'error', code: 'yaml-syntax' });
  expect(diagnostics[0]?.line).toBeGreaterThan(0);
});

const candidate = (tag: string | undefined, pushedDaysAgo: number | undefined, pulledDaysAgo?: number): Candidate => ({
  tag,
  pushedAt: pushedDaysAgo === undefined ? undefined : NOW - pushedDaysAgo * DAY,
  lastPulledAt: pulledDaysAgo === undefined ? undefined : NOW - pulledDaysAgo * DAY,
});

function decided(yaml: string, candidates: Candidate[]) {
  const compiled = compilePolicy(parseRetentionPolicy(yaml).policy!).policyFor('app')!;
  return Object.fromEntries(decide(candidatesOf(candidates), compiled, { now: NOW }).map((verdict, position) => [candidates[position]?.tag ?? 'untagged', verdict ? `${verdict.action} #${verdict.rule.rule}` : 'keep']));
}

it('runs rules in order: what a rule decides is out of reach of later rules; the rest is kept', () => {
  const result = decided(
    `policies:\n  - repositories: [app]\n    rules:\n      - remove: { olderThan: 240h }\n      - keep: { last: 1 }\n      - remove: { notPulledFor: 48h }\n`,
    [candidate('old', 20), candidate('mid', 5, 1), candidate('new', 1), candidate('cold', 4)],
  );
  expect(result).toEqual({ old: 'remove #0', new: 'keep #1', mid: 'keep', cold: 'remove #2' });
});

it('keep last by pulled puts never-pulled last; unknown times are never old; remove untagged takes untagged only', () => {
  const result = decided(
    `policies:\n  - repositories: [app]\n    rules:\n      - keep: { last: 1, by: pulled }\n      - remove: { untagged: true }\n      - remove: { notPulledFor: 24h }\n`,
    [candidate('never', 1), candidate('pulled', 9, 3), candidate('unknown', undefined), candidate(undefined, 2)],
  );
  expect(result).toEqual({ pulled: 'keep #0', untagged: 'remove #1', never: 'keep', unknown: 'keep' });
});

it('a repository follows the first policy that selects it; excluded and unselected repositories have none', () => {
  const compiled = compilePolicy(
    checkRetentionPolicy({
      policies: [
        { repositories: ['team/**'], exclude: { repositories: ['team/keep'] }, rules: [{ remove: { untagged: true } }] },
        { repositories: ['**'], rules: [{ remove: { notPulledFor: '1h' } }] },
      ],
    }).policy!,
  );
  expect(compiled.policyFor('team/a/b')?.index).toBe(0);
  expect(compiled.policyFor('team/keep')?.index).toBe(1);
  expect(compilePolicy(checkRetentionPolicy({ policies: [{ repositories: ['team/*'], rules: [{ remove: { untagged: true } }] }] }).policy!).policyFor('other')).toBeUndefined();
});
