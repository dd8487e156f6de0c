import { formatGoDuration, MILLISECOND } from '@regevents/config';
import type { RemoveNotPulledForRule } from '../types.js';
import { positionsWhere, timeAt, type RuleEvaluator } from './evaluator.js';

/** Never pulled counts from the push (as ECR's sinceImagePulled); with neither time known, nothing is removed. */
export function removeNotPulledFor(rule: RemoveNotPulledForRule): RuleEvaluator {
  const { notPulledForMs } = rule.remove;
  return {
    action: 'remove',
    description: `remove not pulled for ${formatGoDuration(BigInt(notPulledForMs) * MILLISECOND)}`,
    select: (candidates, open, { now }) =>
      positionsWhere(open, (position) => {
        const pulled = timeAt(candidates.lastPulledAt, position);
        const lastUse = Number.isNaN(pulled) ? timeAt(candidates.pushedAt, position) : pulled;
        return lastUse < now - notPulledForMs;
      }),
  };
}
