import type { KeepLastRule } from '../types.js';
import { positionsWhere, type Candidate, type RuleEvaluator } from './evaluator.js';

const timeOrLast = (time: number | undefined) => time ?? -Infinity;

/** Newest first by the rule's time, ties by push time; a candidate whose time is unknown sorts last. */
export function keepLast(rule: KeepLastRule): RuleEvaluator {
  const { last, by } = rule.keep;
  const timeOf = by === 'pushed' ? (candidate: Candidate) => candidate.pushedAt : (candidate: Candidate) => candidate.lastPulledAt;
  return {
    action: 'keep',
    description: `keep last ${last} by ${by}`,
    select(candidates, open) {
      const tagged = positionsWhere(candidates, open, (candidate) => candidate.tag !== undefined);
      // the sort keys are read once, not once a comparison
      const time = new Float64Array(candidates.length);
      const pushed = new Float64Array(candidates.length);
      for (const position of tagged) {
        const candidate = candidates[position] as Candidate;
        time[position] = timeOrLast(timeOf(candidate));
        pushed[position] = timeOrLast(candidate.pushedAt);
      }
      const order = (a: number, b: number) => (time[b] as number) - (time[a] as number) || (pushed[b] as number) - (pushed[a] as number) || a - b;
      return tagged.sort(order).slice(0, last);
    },
  };
}
