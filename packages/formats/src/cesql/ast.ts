/** The syntax tree the parser builds and the evaluator walks. */
import type { LikePattern } from './like.js';
import type { CesqlValue } from './values.js';

export type ArithmeticOperator = '*' | '/' | '%' | '+' | '-';
export type ComparisonOperator = '=' | '!=' | '<>' | '<' | '<=' | '>' | '>=';
export type LogicOperator = 'AND' | 'OR' | 'XOR';

interface At {
  /** Offset in the expression where this subexpression starts (errors point there). */
  readonly offset: number;
}

export type CesqlNode =
  | (At & { readonly kind: 'literal'; readonly value: CesqlValue })
  | (At & { readonly kind: 'attribute'; readonly name: string })
  | (At & { readonly kind: 'exists'; readonly name: string })
  | (At & { readonly kind: 'not'; readonly operand: CesqlNode })
  | (At & { readonly kind: 'negate'; readonly operand: CesqlNode })
  | (At & { readonly kind: 'like'; readonly operand: CesqlNode; readonly pattern: LikePattern; readonly negated: boolean })
  | (At & { readonly kind: 'in'; readonly operand: CesqlNode; readonly set: readonly CesqlNode[]; readonly negated: boolean })
  | (At & { readonly kind: 'arithmetic'; readonly operator: ArithmeticOperator; readonly left: CesqlNode; readonly right: CesqlNode })
  | (At & { readonly kind: 'comparison'; readonly operator: ComparisonOperator; readonly left: CesqlNode; readonly right: CesqlNode })
  /**
   * `operands[0] operators[0] operands[1] ...`, grouped from the right: AND, OR and XOR share one
   * precedence level and the grammar makes them right-associative, so `a AND b OR c` is
   * `a AND (b OR c)`. Kept flat so long chains neither nest deeply nor recurse.
   */
  | (At & { readonly kind: 'logic'; readonly operands: readonly CesqlNode[]; readonly operators: readonly LogicOperator[] })
  /** `name` is upper-cased: function names are case-insensitive. */
  | (At & { readonly kind: 'call'; readonly name: string; readonly args: readonly CesqlNode[] });
