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
 * One rule, compiled: given the candidates and the positions of those no earlier rule decided,
 * the positions of the ones it decides. Positions, not copies: plans run to hundreds of thousands
 * of tags. `description` is what plans print ("keep last 5 by pushed").
 */
export interface RuleEvaluator {
  readonly action: 'keep' | 'remove';
  readonly description: string;
  select(candidates: readonly Candidate[], open: readonly number[], context: RuleContext): number[];
}

/** The positions in `open` whose candidates `test` takes. */
export function positionsWhere(candidates: readonly Candidate[], open: readonly number[], test: (candidate: Candidate) => boolean): number[] {
  const positions: number[] = [];
  for (const position of open) if (test(candidates[position] as Candidate)) positions.push(position);
  return positions;
}
