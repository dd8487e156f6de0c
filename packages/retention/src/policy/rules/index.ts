import type { RetentionRule } from '../types.js';
import type { RuleEvaluator } from './evaluator.js';
import { keepLast } from './keep-last.js';
import { keepTags } from './keep-tags.js';
import { removeNotPulledFor } from './remove-not-pulled-for.js';
import { removeOlderThan } from './remove-older-than.js';
import { removeUntagged } from './remove-untagged.js';

export type { Candidates, RuleContext, RuleEvaluator } from './evaluator.js';

/** The evaluator of a checked rule: one per rule kind, each in its own file. */
export function evaluatorOf(rule: RetentionRule): RuleEvaluator {
  if ('keep' in rule) return 'last' in rule.keep ? keepLast(rule as Parameters<typeof keepLast>[0]) : keepTags(rule as Parameters<typeof keepTags>[0]);
  if ('untagged' in rule.remove) return removeUntagged();
  if ('olderThanMs' in rule.remove) return removeOlderThan(rule as Parameters<typeof removeOlderThan>[0]);
  return removeNotPulledFor(rule as Parameters<typeof removeNotPulledFor>[0]);
}
