import { formatGoDuration, MILLISECOND } from '@regevents/config';
import type { RemoveOlderThanRule } from '../types.js';
import { positionsWhere, timeAt, type RuleEvaluator } from './evaluator.js';

/** A push time nobody knows never makes anything old. */
export function removeOlderThan(rule: RemoveOlderThanRule): RuleEvaluator {
  const { olderThanMs } = rule.remove;
  return {
    action: 'remove',
    description: `remove older than ${formatGoDuration(BigInt(olderThanMs) * MILLISECOND)} by pushed`,
    // NaN, an unknown time, is older than nothing
    select: (candidates, open, { now }) => positionsWhere(open, (position) => timeAt(candidates.pushedAt, position) < now - olderThanMs),
  };
}
