import { positionsWhere, tagAt, type RuleEvaluator } from './evaluator.js';

export function removeUntagged(): RuleEvaluator {
  return {
    action: 'remove',
    description: 'remove untagged',
    select: (candidates, open) => positionsWhere(open, (position) => tagAt(candidates, position) === undefined),
  };
}
