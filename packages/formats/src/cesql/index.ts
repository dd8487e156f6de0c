/**
 * CloudEvents SQL Expression Language (CESQL) v1.0.0, as Knative evaluates it in Trigger
 * `filters`: parse once (parse errors throw, as an invalid expression makes the Trigger invalid),
 * then evaluate per event to a value and the errors met on the way.
 */
import { evaluateTree, type CesqlEvent, type CesqlResult } from './evaluate.js';
import { parseExpressionTree } from './parser.js';

export { CesqlParseError, type CesqlErrorKind, type CesqlEvaluationError } from './errors.js';
export type { CesqlEvent, CesqlResult } from './evaluate.js';
export { CESQL_LIMITS } from './parser.js';
export type { CesqlType, CesqlValue } from './values.js';

/** A parsed expression, to evaluate against any number of events. */
export interface CompiledCesql {
  /** The expression as given. */
  readonly expression: string;
  /** The expression's value for `event`, with the evaluation errors (if any) alongside it. */
  evaluate(event: CesqlEvent): CesqlResult;
}

/** Parses `expression`; throws `CesqlParseError` (with the offset and what was expected) when it is not valid CESQL. */
export function parseCesql(expression: string): CompiledCesql {
  const tree = parseExpressionTree(expression);
  return { expression, evaluate: (event) => evaluateTree(tree, event) };
}

/** Parses and evaluates in one go; prefer `parseCesql` when evaluating many events. */
export function evaluateCesql(expression: string, event: CesqlEvent): CesqlResult {
  return parseCesql(expression).evaluate(event);
}
