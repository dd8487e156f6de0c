import { formatGoDuration, MILLISECOND } from '@regevents/config';
import type { RemoveNotPulledForRule } from '../types.js';
import { positionsWhere, type RuleEvaluator } from './evaluator.js';

/** Never pulled counts from the push (as ECR's sinceImagePulled); with neither time known, nothing is removed. */
export function removeNotPulledFor(rule: RemoveNotPulledForRule): RuleEvaluator {
  const { notPulledForMs } = rule.remove;
  return {
    action: 'remove',
    description: `remove not pulled for ${formatGoDuration(BigInt(notPulledForMs) * MILLISECOND)}`,
    select: (candidates, open, { now }) =>
      positionsWhere(candidates, open, (candidate) => {
        const lastUse = candidate.lastPulledAt ?? candidate.pushedAt;
        return lastUse !== undefined && lastUse < now - notPulledForMs;
      }),
  };
}
