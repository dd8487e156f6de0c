import { formatGoDuration, MILLISECOND } from '@regevents/config';
import type { RemoveOlderThanRule } from '../types.js';
import { positionsWhere, type RuleEvaluator } from './evaluator.js';

/** A push time nobody knows never makes anything old. */
export function removeOlderThan(rule: RemoveOlderThanRule): RuleEvaluator {
  const { olderThanMs } = rule.remove;
  return {
    action: 'remove',
    description: `remove older than ${formatGoDuration(BigInt(olderThanMs) * MILLISECOND)} by pushed`,
    select: (candidates, open, { now }) => positionsWhere(candidates, open, (candidate) => candidate.pushedAt !== undefined && candidate.pushedAt < now - olderThanMs),
  };
}
