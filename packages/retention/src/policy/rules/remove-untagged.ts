import type { RuleEvaluator } from './evaluator.js';

export function removeUntagged(): RuleEvaluator {
  return {
    action: 'remove',
    description: 'remove untagged',
    select: (candidates) => candidates.filter((candidate) => candidate.tag === undefined),
  };
}
