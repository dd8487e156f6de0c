/** A tag, or a manifest no tag points at, as the rules see it. Times are epoch ms. */
export interface Candidate {
  repository: string;
  /** Undefined for an untagged manifest. */
  tag?: string;
  digest: string;
  pushedAt?: number;
  /** The latest pull of the tag or of its digest. */
  lastPulledAt?: number;
}

export interface RuleContext {
  now: number;
}

/**
 * One rule, compiled: given the candidates no earlier rule decided, the ones it decides.
 * `describe` is what plans print ("keep last 5 by pushed").
 */
export interface RuleEvaluator {
  readonly action: 'keep' | 'remove';
  readonly description: string;
  select(candidates: readonly Candidate[], context: RuleContext): Candidate[];
}

/** Newest first, ties by push time; a candidate whose time is unknown sorts last. */
export function newestFirst(timeOf: (candidate: Candidate) => number | undefined): (a: Candidate, b: Candidate) => number {
  return (a, b) => (timeOf(b) ?? -Infinity) - (timeOf(a) ?? -Infinity) || (b.pushedAt ?? -Infinity) - (a.pushedAt ?? -Infinity);
}
