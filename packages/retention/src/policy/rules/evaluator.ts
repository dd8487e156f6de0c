/**
 * The tags of a repository, and the manifests no tag points at, as the rules see them: by
 * position, in columns (a plan holds hundreds of thousands; numbers in arrays need no object
 * each). Times are epoch ms, NaN when unknown; the pull time is the latest pull of the tag or of
 * its digest.
 */
export interface Candidates {
  /** Per position, the tag; undefined for an untagged manifest. */
  readonly tags: readonly (string | undefined)[];
  readonly pushedAt: ArrayLike<number>;
  readonly lastPulledAt: ArrayLike<number>;
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
  select(candidates: Candidates, open: readonly number[], context: RuleContext): number[];
}

/** A time of a column, NaN when unknown. */
export const timeAt = (times: ArrayLike<number>, position: number): number => times[position] ?? Number.NaN;

/** The positions in `open` that `test` takes. */
export function positionsWhere(open: readonly number[], test: (position: number) => boolean): number[] {
  const positions: number[] = [];
  for (const position of open) if (test(position)) positions.push(position);
  return positions;
}
