/**
 * Builds the syntax tree of a CESQL expression. Precedence and associativity are those of the
 * spec's ANTLR grammar (cesql/CESQLParser.g4), which Knative's engine is generated from; from
 * loosest to tightest:
 *
 *   3  AND OR XOR (one level, right-associative)   6  * / %
 *   4  = != <> < <= > >=                           7  [NOT] IN (...)
 *   5  + -                                         9  [NOT] LIKE 'pattern'
 *
 * and the prefix operators NOT and `-` bind tighter than all of them: `NOT a = b` is
 * `(NOT a) = b`, `NOT x LIKE 'a%'` is `(NOT x) LIKE 'a%'`.
 */
import type { ArithmeticOperator, CesqlNode, ComparisonOperator, LogicOperator } from './ast.js';
import { CesqlParseError } from './errors.js';
import { tokenize, type Token } from './lexer.js';
import { compileLikePattern } from './like.js';

/** Bounds that keep parsing and evaluating hostile expressions fast and off the call stack's end. */
export const CESQL_LIMITS = {
  /** Longest expression accepted, in UTF-16 code units (64 KiB of ASCII). */
  maxLength: 65_536,
  /** Deepest nesting accepted: parentheses, operators applied to operators, function arguments. */
  maxDepth: 256,
} as const;

const KEYWORDS = new Set(['AND', 'OR', 'XOR', 'NOT', 'LIKE', 'IN', 'EXISTS', 'TRUE', 'FALSE']);
const ATTRIBUTE_NAME = /^[A-Za-z0-9]+$/;
const FUNCTION_NAME = /^[A-Za-z][A-Za-z_]*$/;

const LOGIC_PRECEDENCE = 3;
const COMPARISON_PRECEDENCE = 4;
const IN_PRECEDENCE = 7;
const LIKE_PRECEDENCE = 9;
const ARITHMETIC_PRECEDENCE: Readonly<Record<string, number>> = { '*': 6, '/': 6, '%': 6, '+': 5, '-': 5 };
const COMPARISONS = new Set(['=', '!=', '<>', '<', '<=', '>', '>=']);

/** What may follow a complete operand, for error messages. */
const AFTER_OPERAND = 'an operator';

export function parseExpressionTree(expression: string): CesqlNode {
  if (expression.length > CESQL_LIMITS.maxLength) {
    throw new CesqlParseError(expression, CESQL_LIMITS.maxLength, `the expression is ${expression.length} characters long, more than the ${CESQL_LIMITS.maxLength} allowed`);
  }
  return new Parser(expression, tokenize(expression)).parse();
}

type InfixOperator =
  | { readonly kind: 'logic'; readonly operator: LogicOperator; readonly precedence: number }
  | { readonly kind: 'comparison'; readonly operator: ComparisonOperator; readonly precedence: number }
  | { readonly kind: 'arithmetic'; readonly operator: ArithmeticOperator; readonly precedence: number }
  | { readonly kind: 'like' | 'in'; readonly negated: boolean; readonly precedence: number };

class Parser {
  private position = 0;
  private depth = 0;
  /** Height of every node built so far that is not a leaf, to bound left-nested operator chains too. */
  private readonly heights = new Map<CesqlNode, number>();

  constructor(
    private readonly expression: string,
    private readonly tokens: readonly Token[],
  ) {}

  parse(): CesqlNode {
    const node = this.parseExpression(0);
    const token = this.peek();
    if (token.kind !== 'end') this.fail(token, [AFTER_OPERAND, 'the end of the expression']);
    return node;
  }

  /** Precedence climbing: an operand, then every infix operator binding at least `minPrecedence`. */
  private parseExpression(minPrecedence: number): CesqlNode {
    let left = this.parsePrefix();
    for (;;) {
      const infix = this.infixOperator();
      if (infix === undefined || infix.precedence < minPrecedence) return left;
      switch (infix.kind) {
        case 'logic':
          left = this.parseLogicChain(left);
          break;
        case 'comparison': {
          this.advance();
          const right = this.parseExpression(infix.precedence + 1);
          left = this.build({ kind: 'comparison', operator: infix.operator, left, right, offset: left.offset }, [left, right]);
          break;
        }
        case 'arithmetic': {
          this.advance();
          const right = this.parseExpression(infix.precedence + 1);
          left = this.build({ kind: 'arithmetic', operator: infix.operator, left, right, offset: left.offset }, [left, right]);
          break;
        }
        case 'like':
          left = this.parseLike(left, infix.negated);
          break;
        case 'in':
          left = this.parseIn(left, infix.negated);
          break;
      }
    }
  }

  /** `first AND b OR c XOR ...`, collected flat; the operands bind tighter than the chain. */
  private parseLogicChain(first: CesqlNode): CesqlNode {
    const operands = [first];
    const operators: LogicOperator[] = [];
    for (let infix = this.infixOperator(); infix?.kind === 'logic'; infix = this.infixOperator()) {
      this.advance();
      operators.push(infix.operator);
      operands.push(this.parseExpression(COMPARISON_PRECEDENCE));
    }
    return this.build({ kind: 'logic', operands, operators, offset: first.offset }, operands);
  }

  private parseLike(operand: CesqlNode, negated: boolean): CesqlNode {
    this.advance(negated ? 2 : 1);
    const pattern = this.peek();
    // The pattern must be a string literal, not an expression that yields a string (spec 3.4.3).
    if (pattern.kind !== 'string') this.fail(pattern, ['a string literal pattern after LIKE']);
    this.advance();
    return this.build({ kind: 'like', operand, pattern: compileLikePattern(pattern.value), negated, offset: operand.offset }, [operand]);
  }

  private parseIn(operand: CesqlNode, negated: boolean): CesqlNode {
    this.advance(negated ? 2 : 1);
    const open = this.peek();
    if (!this.isSymbol(open, '(')) this.fail(open, ['"(" opening the set after IN']);
    this.advance();
    // An empty set is a parse error in the grammar, which the list parser enforces.
    const set = this.parseList();
    return this.build({ kind: 'in', operand, set, negated, offset: operand.offset }, [operand, ...set]);
  }

  /** Comma-separated expressions up to and including `)`; the `(` is already consumed. */
  private parseList(): CesqlNode[] {
    const items = [this.parseExpression(0)];
    for (;;) {
      const token = this.peek();
      this.advance();
      if (this.isSymbol(token, ')')) return items;
      if (!this.isSymbol(token, ',')) this.fail(token, [AFTER_OPERAND, '","', '")"']);
      items.push(this.parseExpression(0));
    }
  }

  /** A literal, attribute, function call, EXISTS, parenthesised expression, or NOT/`-` applied to one. */
  private parsePrefix(): CesqlNode {
    const token = this.peek();
    this.depth += 1;
    if (this.depth > CESQL_LIMITS.maxDepth) this.tooDeep(token);
    const node = this.parsePrefixAt(token);
    this.depth -= 1;
    return node;
  }

  private parsePrefixAt(token: Token): CesqlNode {
    const { offset } = token;
    switch (token.kind) {
      case 'integer':
      case 'string':
        this.advance();
        return { kind: 'literal', value: token.value, offset };
      case 'symbol':
        if (token.text === '(') {
          this.advance();
          const inner = this.parseExpression(0);
          const close = this.peek();
          if (!this.isSymbol(close, ')')) this.fail(close, [AFTER_OPERAND, '")"']);
          this.advance();
          return inner;
        }
        if (token.text === '-') {
          this.advance();
          const operand = this.parsePrefix();
          return this.build({ kind: 'negate', operand, offset }, [operand]);
        }
        return this.fail(token, ['an expression']);
      case 'word':
        return this.parseWord(token);
      case 'end':
        return this.fail(token, ['an expression']);
    }
  }

  private parseWord(token: Token & { kind: 'word' }): CesqlNode {
    const { text, offset } = token;
    const keyword = text.toUpperCase();
    this.advance();
    switch (keyword) {
      case 'TRUE':
      case 'FALSE':
        return { kind: 'literal', value: keyword === 'TRUE', offset };
      case 'NOT': {
        const operand = this.parsePrefix();
        return this.build({ kind: 'not', operand, offset }, [operand]);
      }
      case 'EXISTS': {
        const name = this.peek();
        if (name.kind !== 'word' || KEYWORDS.has(name.text.toUpperCase()) || !ATTRIBUTE_NAME.test(name.text)) this.fail(name, ['an attribute name after EXISTS']);
        this.advance();
        return { kind: 'exists', name: name.text.toLowerCase(), offset };
      }
    }
    if (KEYWORDS.has(keyword)) return this.fail(token, ['an expression']);
    if (this.isSymbol(this.peek(), '(')) {
      if (!FUNCTION_NAME.test(text)) this.failAt(offset, `"${text}" is not a function name: those are letters and underscores`);
      this.advance();
      let args: CesqlNode[] = [];
      if (this.isSymbol(this.peek(), ')')) this.advance();
      else args = this.parseList();
      return this.build({ kind: 'call', name: keyword, args, offset }, args);
    }
    if (!ATTRIBUTE_NAME.test(text)) this.failAt(offset, `"${text}" is not an attribute name: those are letters and digits`);
    // Attribute names are lower case in CloudEvents; like keywords, they are matched case-insensitively.
    return { kind: 'attribute', name: text.toLowerCase(), offset };
  }

  /** The infix operator at the current token, if any; `NOT` counts only as part of NOT LIKE / NOT IN. */
  private infixOperator(): InfixOperator | undefined {
    const token = this.peek();
    if (token.kind === 'symbol') {
      const precedence = ARITHMETIC_PRECEDENCE[token.text];
      if (precedence !== undefined) return { kind: 'arithmetic', operator: token.text as ArithmeticOperator, precedence };
      if (COMPARISONS.has(token.text)) return { kind: 'comparison', operator: token.text as ComparisonOperator, precedence: COMPARISON_PRECEDENCE };
      return undefined;
    }
    if (token.kind !== 'word') return undefined;
    const word = token.text.toUpperCase();
    if (word === 'AND' || word === 'OR' || word === 'XOR') return { kind: 'logic', operator: word, precedence: LOGIC_PRECEDENCE };
    if (word === 'LIKE') return { kind: 'like', negated: false, precedence: LIKE_PRECEDENCE };
    if (word === 'IN') return { kind: 'in', negated: false, precedence: IN_PRECEDENCE };
    if (word !== 'NOT') return undefined;
    const next = this.tokens[this.position + 1];
    const following = next?.kind === 'word' ? next.text.toUpperCase() : undefined;
    if (following === 'LIKE') return { kind: 'like', negated: true, precedence: LIKE_PRECEDENCE };
    if (following === 'IN') return { kind: 'in', negated: true, precedence: IN_PRECEDENCE };
    return this.fail(next ?? token, ['LIKE or IN after NOT']);
  }

  private build(node: CesqlNode, children: readonly CesqlNode[]): CesqlNode {
    let height = 1;
    for (const child of children) height = Math.max(height, 1 + (this.heights.get(child) ?? 1));
    if (height > CESQL_LIMITS.maxDepth) this.tooDeep(this.peek());
    this.heights.set(node, height);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.position] as Token;
  }

  private advance(count = 1): void {
    this.position += count;
  }

  private isSymbol(token: Token, text: string): boolean {
    return token.kind === 'symbol' && token.text === text;
  }

  private tooDeep(token: Token): never {
    return this.failAt(token.offset, `the expression nests more than ${CESQL_LIMITS.maxDepth} levels deep`);
  }

  private fail(token: Token, expected: readonly string[]): never {
    return this.failAt(token.offset, `found ${describe(token)}`, expected);
  }

  private failAt(offset: number, problem: string, expected: readonly string[] = []): never {
    throw new CesqlParseError(this.expression, offset, problem, expected);
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the expression';
    case 'string':
      return `the string ${JSON.stringify(token.value)}`;
    case 'integer':
      // The lexer glues a sign to the digits after it, which surprises in `x -1` or `x-1`.
      return token.signed ? `the integer literal ${token.value} (a sign directly before a digit is part of the number: write "x - 1", not "x -1")` : `the integer ${token.value}`;
    case 'word':
    case 'symbol':
      return `"${token.text}"`;
  }
}
