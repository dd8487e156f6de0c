import { compileArtifactSelector } from '@regevents/config';
import type { KeepTagsRule } from '../types.js';
import { positionsWhere, type RuleEvaluator } from './evaluator.js';

function describeSelector(tags: KeepTagsRule['keep']['tags']): string {
  if ('glob' in tags) return tags.glob.join(', ');
  if ('regex' in tags) return `/${tags.regex}/`;
  return `semver ${tags.semver}`;
}

export function keepTags(rule: KeepTagsRule): RuleEvaluator {
  const matcher = compileArtifactSelector({ tags: rule.keep.tags });
  // CI names tags alike in every repository (build-123, v1.2.3): each name is asked once
  const verdicts = new Map<string, boolean>();
  const keeps = (tag: string) => {
    let verdict = verdicts.get(tag);
    if (verdict === undefined) verdicts.set(tag, (verdict = matcher.matches('', tag)));
    return verdict;
  };
  return {
    action: 'keep',
    description: `keep tags ${describeSelector(rule.keep.tags)}`,
    select: (candidates, open) =>
      positionsWhere(open, (position) => {
        const tag = candidates.tags[position];
        return tag !== undefined && keeps(tag);
      }),
  };
}
