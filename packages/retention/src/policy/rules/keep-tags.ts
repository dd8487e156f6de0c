import { compileArtifactSelector } from '@regevents/config';
import type { KeepTagsRule } from '../types.js';
import type { RuleEvaluator } from './evaluator.js';

function describeSelector(tags: KeepTagsRule['keep']['tags']): string {
  if ('glob' in tags) return tags.glob.join(', ');
  if ('regex' in tags) return `/${tags.regex}/`;
  return `semver ${tags.semver}`;
}

export function keepTags(rule: KeepTagsRule): RuleEvaluator {
  const matcher = compileArtifactSelector({ tags: rule.keep.tags });
  return {
    action: 'keep',
    description: `keep tags ${describeSelector(rule.keep.tags)}`,
    select: (candidates) => candidates.filter((candidate) => candidate.tag !== undefined && matcher.matches(candidate.repository, candidate.tag)),
  };
}
