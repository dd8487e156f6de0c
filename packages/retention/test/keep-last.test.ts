import fc from 'fast-check';
import { expect, it } from 'vitest';
import { keepLast } from '../src/policy/rules/keep-last.js';
import { candidatesOf, type Candidate } from './candidates.js';

const time = fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined });
const candidate = fc.record({ tag: fc.option(fc.constant('t'), { nil: undefined, freq: 4 }), pushedAt: time, lastPulledAt: time });

/** The rule as written: every tagged candidate sorted newest first, ties by push time then position; the first `last`. */
function sortedReference(candidates: Candidate[], open: number[], last: number, by: 'pushed' | 'pulled'): number[] {
  const timeOf = (position: number, key: 'pushedAt' | 'lastPulledAt') => candidates[position]?.[key] ?? -Infinity;
  const key = by === 'pushed' ? 'pushedAt' : 'lastPulledAt';
  return open
    .filter((position) => candidates[position]?.tag !== undefined)
    .sort((a, b) => timeOf(b, key) - timeOf(a, key) || timeOf(b, 'pushedAt') - timeOf(a, 'pushedAt') || a - b)
    .slice(0, last);
}

it('keeps the same tags as sorting them all would, ties and unknown times included', () => {
  fc.assert(
    fc.property(fc.array(candidate, { maxLength: 60 }), fc.integer({ min: 1, max: 70 }), fc.constantFrom('pushed' as const, 'pulled' as const), fc.func(fc.boolean()), (candidates, last, by, isOpen) => {
      const open = candidates.map((_, position) => position).filter((position) => isOpen(position));
      const kept = keepLast({ keep: { last, by } }).select(candidatesOf(candidates), open, { now: 0 });
      expect([...kept].sort((a, b) => a - b)).toEqual(sortedReference(candidates, open, last, by).sort((a, b) => a - b));
    }),
    { numRuns: 500 },
  );
});
