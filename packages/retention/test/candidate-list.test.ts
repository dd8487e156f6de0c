import { expect, it } from 'vitest';
import { addCandidate, candidateList, pickCandidates, type CandidateFacts, type CandidateList } from '../src/plan/inventory.js';

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

it('pickCandidates takes every column at the positions given, in their order, and leaves the list as it was', () => {
  const list = listOf([1, 2, 3]);
  const before = structuredClone(list);
  expect(pickCandidates(list, { positions: [2, 0, 1] })).toEqual(listOf([3, 1, 2]));
  expect(pickCandidates(list, { positions: [1] })).toEqual(listOf([2]));
  expect(list).toEqual(before);
});

it('pickCandidates makes room for spare candidates, and for no more', () => {
  const picked = pickCandidates(listOf([1, 2]), { positions: [0, 1], spare: 1 });
  addCandidate(picked, facts(3), 3 * DAY, 3 * DAY + 1);
  expect(picked).toEqual(listOf([1, 2, 3]));
  expect(() => addCandidate(picked, facts(4), undefined, undefined)).toThrow(RangeError);
  // without positions: every candidate as it is, and the room asked for
  const all = pickCandidates(listOf([1, 2]), { spare: 1 });
  addCandidate(all, facts(3), 3 * DAY, 3 * DAY + 1);
  expect(all).toEqual(listOf([1, 2, 3]));
  expect(pickCandidates(listOf([1, 2]))).toEqual(listOf([1, 2]));
});
