import { positionsWhere, type RuleEvaluator } from './evaluator.js';

export function removeUntagged(): RuleEvaluator {
  return {
    action: 'remove',
    description: 'remove untagged',
    select: (candidates, open) => positionsWhere(open, (position) => candidates.tags[position] === undefined),
  };
}
