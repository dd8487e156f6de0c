import { RegEventsFormatError } from '../errors.js';

/**
 * The expression is not valid CESQL, or it is too long or nests too deeply to be parsed safely.
 * Knative rejects a Trigger whose `cesql` filter does not parse, so this is thrown up front
 * rather than reported per event.
 */
export class CesqlParseError extends RegEventsFormatError {
  /** The expression as given. */
  readonly expression: string;
  /** Zero-based offset (UTF-16 code units) in `expression` where the problem was found. */
  readonly offset: number;
  /** What the parser would have accepted at `offset`; empty when the problem is not a missing token. */
  readonly expected: readonly string[];

  constructor(expression: string, offset: number, problem: string, expected: readonly string[] = []) {
    const detail = expected.length > 0 ? `${problem} (expected ${expected.join(' or ')})` : problem;
    super(`invalid CESQL expression at offset ${offset}: ${detail}`, [{ path: '(expression)', message: `at offset ${offset}: ${detail}` }]);
    this.expression = expression;
    this.offset = offset;
    this.expected = expected;
  }
}

/**
 * The error kinds CESQL v1.0.0 (section 3.3) defines for evaluation. Parse errors are thrown as
 * `CesqlParseError` instead, and nothing here raises the spec's catch-all GenericError.
 */
export type CesqlErrorKind = 'math' | 'cast' | 'missingAttribute' | 'missingFunction' | 'functionEvaluation';

/** An error raised while evaluating an expression; the expression still yields a value. */
export interface CesqlEvaluationError {
  readonly kind: CesqlErrorKind;
  readonly message: string;
  /** Offset in the expression of the subexpression that raised it. */
  readonly offset: number;
}
