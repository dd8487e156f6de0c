import type { KeepLastRule } from '../types.js';
import { timeAt, type RuleEvaluator } from './evaluator.js';

/** An unknown time (NaN) sorts after every known one. */
const timeOrLast = (times: ArrayLike<number>, position: number) => {
  const time = timeAt(times, position);
  return Number.isNaN(time) ? -Infinity : time;
};

/**
 * Newest first by the rule's time, ties by push time; a candidate whose time is unknown sorts last.
 * Only the `last` newest are wanted, so they are held in a heap whose top is the oldest of them:
 * each tag costs one comparison with that top, not a place in a sort of every tag.
 */
export function keepLast(rule: KeepLastRule): RuleEvaluator {
  const { last, by } = rule.keep;
  return {
    action: 'keep',
    description: `keep last ${last} by ${by}`,
    select(candidates, open) {
      const times = by === 'pushed' ? candidates.pushedAt : candidates.lastPulledAt;
      const pushed = candidates.pushedAt;
      /** Below 0 when `a` is newer than `b`. */
      const order = (a: number, b: number) => timeOrLast(times, b) - timeOrLast(times, a) || timeOrLast(pushed, b) - timeOrLast(pushed, a) || a - b;
      const heap: number[] = [];
      const swap = (i: number, j: number) => {
        const held = heap[i] as number;
        heap[i] = heap[j] as number;
        heap[j] = held;
      };
      const siftDown = () => {
        for (let at = 0; ; ) {
          const left = 2 * at + 1;
          const right = left + 1;
          let oldest = at;
          if (left < heap.length && order(heap[left] as number, heap[oldest] as number) > 0) oldest = left;
          if (right < heap.length && order(heap[right] as number, heap[oldest] as number) > 0) oldest = right;
          if (oldest === at) return;
          swap(at, oldest);
          at = oldest;
        }
      };
      for (const position of open) {
        if (candidates.tags[position] === undefined) continue;
        if (heap.length < last) {
          heap.push(position);
          for (let at = heap.length - 1; at > 0; ) {
            const parent = (at - 1) >> 1;
            if (order(heap[at] as number, heap[parent] as number) <= 0) break;
            swap(at, parent);
            at = parent;
          }
        } else if (order(position, heap[0] as number) < 0) {
          heap[0] = position;
          siftDown();
        }
      }
      return heap;
    },
  };
}
