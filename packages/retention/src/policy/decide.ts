import { compileArtifactSelector } from '@regevents/config';
import { evaluatorOf, type Candidates, type RuleContext, type RuleEvaluator } from './rules/index.js';
import type { RetentionPolicy } from './types.js';

export interface RuleRef {
  /** Position of the policy in `policies` and of the rule in its `rules`. */
  policy: number;
  rule: number;
  description: string;
}

/** What a rule decided: one value per rule, shared by every candidate it decides. */
export interface Verdict {
  action: 'keep' | 'remove';
  rule: RuleRef;
}

export interface CompiledRepositoryPolicy {
  index: number;
  evaluators: RuleEvaluator[];
}

export interface CompiledPolicy {
  /** The policy a repository follows, or undefined when no policy selects it (it is left alone). */
  policyFor(repository: string): CompiledRepositoryPolicy | undefined;
}

export function compilePolicy(policy: RetentionPolicy): CompiledPolicy {
  const compiled = policy.policies.map((entry, index) => ({
    index,
    evaluators: entry.rules.map(evaluatorOf),
    selects: compileArtifactSelector({
      repositories: entry.repositories,
      exclude: entry.exclude,
    }).repository,
  }));
  return {
    policyFor: (repository) => compiled.find((entry) => entry.selects(repository)),
  };
}

/**
 * Runs the rules in order over the candidates: each decides some of those still open; the rest
 * are kept. Per candidate (same positions), the verdict of the rule that decided it, or undefined.
 */
export function decide(candidates: Candidates, policy: CompiledRepositoryPolicy, context: RuleContext): (Verdict | undefined)[] {
  const count = candidates.tags.length;
  const verdicts = new Array<Verdict | undefined>(count).fill(undefined);
  // one array of open positions for all rules, shortened in place as rules decide
  const open = new Array<number>(count);
  for (let position = 0; position < count; position++) open[position] = position;
  policy.evaluators.forEach((evaluator, rule) => {
    const verdict: Verdict = { action: evaluator.action, rule: { policy: policy.index, rule, description: evaluator.description } };
    for (const position of evaluator.select(candidates, open, context)) verdicts[position] = verdict;
    let still = 0;
    for (const position of open) if (verdicts[position] === undefined) open[still++] = position;
    open.length = still;
  });
  return verdicts;
}
