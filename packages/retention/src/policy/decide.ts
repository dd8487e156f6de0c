import { compileArtifactSelector } from '@regevents/config';
import { evaluatorOf, type Candidate, type RuleContext, type RuleEvaluator } from './rules/index.js';
import type { RetentionPolicy } from './types.js';

export interface RuleRef {
  /** Position of the policy in `policies` and of the rule in its `rules`. */
  policy: number;
  rule: number;
  description: string;
}

export interface Decision {
  candidate: Candidate;
  action: 'keep' | 'remove';
  /** The rule that decided; undefined when none did (kept). */
  rule?: RuleRef;
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

/** Runs the rules in order over the candidates: each decides some of those still open; the rest are kept. */
export function decide(candidates: readonly Candidate[], policy: CompiledRepositoryPolicy, context: RuleContext): Decision[] {
  const decisions = new Map<Candidate, Decision>();
  let open = [...candidates];
  policy.evaluators.forEach((evaluator, rule) => {
    const selected = new Set(evaluator.select(open, context));
    // one reference per rule, shared by every decision it makes
    const ref: RuleRef = { policy: policy.index, rule, description: evaluator.description };
    for (const candidate of selected) decisions.set(candidate, { candidate, action: evaluator.action, rule: ref });
    open = open.filter((candidate) => !selected.has(candidate));
  });
  return candidates.map((candidate) => decisions.get(candidate) ?? { candidate, action: 'keep' });
}
