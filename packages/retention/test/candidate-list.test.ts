import { expect, it } from 'vitest';
import { addCandidate, candidateList, mapColumns, type CandidateFacts, type CandidateList } from '../src/plan/inventory.js';

const DAY = 86_400_000;
/** Candidate n: every column its own value. */
const facts = (n: number): CandidateFacts => ({ tag: `tag-${n}`, digest: `sha256:${String(n).repeat(64)}`, pushedAtSource: n % 2 ? 'push-event' : 'config-created', pulls: n * 10, history: n % 2 ? 'events' : 'registry' });
const listOf = (ns: number[]): CandidateList => {
  const list = candidateList(ns.length);
  for (const n of ns) addCandidate(list, facts(n), n * DAY, n * DAY + 1);
  return list;
};

it('addCandidate throws on a list with no room left, and leaves the list as it was (a typed array drops the write)', () => {
  const list = listOf([1]);
  const before = structuredClone(list);
  expect(() => addCandidate(list, facts(2), 2 * DAY, undefined)).toThrow(RangeError);
  expect(list).toEqual(before);
});

it('mapColumns maps every column from its own column', () => {
  const reversed = mapColumns(
    listOf([1, 2, 3]),
    (column) => column.slice().reverse(),
    (column) => column.slice().reverse(),
  );
  expect(reversed).toEqual(listOf([3, 2, 1]));
});
