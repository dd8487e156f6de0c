import type { Candidates } from '../src/policy/rules/index.js';

/** A candidate as a test writes it: a tag (none for an untagged manifest) and epoch-ms times, undefined when unknown. */
export interface Candidate {
  tag?: string | undefined;
  pushedAt?: number | undefined;
  lastPulledAt?: number | undefined;
}

/** The candidates in the columns the rules read (NaN for an unknown time). */
export function candidatesOf(candidates: readonly Candidate[]): Candidates {
  return {
    tags: candidates.map((candidate) => candidate.tag),
    pushedAt: candidates.map((candidate) => candidate.pushedAt ?? Number.NaN),
    lastPulledAt: candidates.map((candidate) => candidate.lastPulledAt ?? Number.NaN),
  };
}
