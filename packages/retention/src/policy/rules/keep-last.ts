import type { KeepLastRule } from '../types.js';
import { newestFirst, type RuleEvaluator } from './evaluator.js';

export function keepLast(rule: KeepLastRule): RuleEvaluator {
  const { last, by } = rule.keep;
  const order = newestFirst((candidate) => (by === 'pushed' ? candidate.pushedAt : candidate.lastPulledAt));
  return {
    action: 'keep',
    description: `keep last ${last} by ${by}`,
    select: (candidates) =>
      candidates
        .filter((candidate) => candidate.tag !== undefined)
        .sort(order)
        .slice(0, last),
  };
}
