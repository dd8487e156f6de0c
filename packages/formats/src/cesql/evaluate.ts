/**
 * Evaluates a syntax tree against a CloudEvent in the spec's "fail fast" mode (section 4.1): the
 * first error stops evaluation and every operation enclosing it returns the zero value of its
 * type. Section 1.2 recommends that mode for filters, and Knative's engine (cloudevents/sdk-go
 * sql/v2) implements it, so results and errors match what a Knative Trigger sees.
 */
import type { CesqlNode, LogicOperator } from './ast.js';
import type { CesqlErrorKind, CesqlEvaluationError } from './errors.js';
import { parameterType, resolveFunction } from './functions.js';
import { matchesLike } from './like.js';
import { cast, typeOf, ZERO_VALUE, type Cast, type CesqlType, type CesqlValue } from './values.js';

/** A CloudEvent's attributes by name, e.g. a structured-mode JSON CloudEvent; `data` is ignored. */
export type CesqlEvent = Readonly<Record<string, unknown>>;

export interface CesqlResult {
  readonly value: CesqlValue;
  /** Empty when evaluation succeeded; in fail-fast mode it holds at most one error. */
  readonly errors: readonly CesqlEvaluationError[];
}

type NodeOf<K extends CesqlNode['kind']> = Extract<CesqlNode, { kind: K }>;

/** Unwinds evaluation to the root. Not an Error: nothing needs its stack trace, and it is thrown per event. */
class Failure {
  constructor(
    readonly error: CesqlEvaluationError,
    /** The call whose function failed with a value of its own (`LEFT('abc', -1)` is `'abc'`). */
    readonly call?: CesqlNode,
    readonly callValue?: CesqlValue,
  ) {}
}

export function evaluateTree(root: CesqlNode, event: CesqlEvent): CesqlResult {
  try {
    return { value: evaluate(root, event), errors: [] };
  } catch (thrown) {
    if (!(thrown instanceof Failure)) throw thrown;
    const value = thrown.call === root && thrown.callValue !== undefined ? thrown.callValue : ZERO_VALUE[returnType(root)];
    return { value, errors: [thrown.error] };
  }
}

function evaluate(node: CesqlNode, event: CesqlEvent): CesqlValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'attribute': {
      const value = readAttribute(event, node.name);
      return value ?? fail(node, 'missingAttribute', `the event has no attribute "${node.name}"`);
    }
    case 'exists':
      // The spec assumes a valid event, so the REQUIRED attributes always exist (3.4.4).
      return REQUIRED_ATTRIBUTES.has(node.name) || readAttribute(event, node.name) !== undefined;
    case 'not':
      return !castOrFail(node.operand, evaluate(node.operand, event), 'Boolean');
    case 'negate':
      // `| 0` wraps like the 32-bit integers of Knative's engine: -(-2147483648) is -2147483648.
      return -castOrFail(node.operand, evaluate(node.operand, event), 'Integer') | 0;
    case 'like':
      return matchesLike(castOrFail(node.operand, evaluate(node.operand, event), 'String'), node.pattern) !== node.negated;
    case 'in':
      return isInSet(node, event) !== node.negated;
    case 'arithmetic':
      return arithmetic(node, event);
    case 'comparison':
      return compare(node, event);
    case 'logic':
      return logicChain(node, event);
    case 'call':
      return call(node, event);
  }
}

/** The type an operation returns, whose zero value it yields when it fails. */
function returnType(node: CesqlNode): CesqlType {
  switch (node.kind) {
    case 'literal':
      return typeOf(node.value);
    case 'negate':
    case 'arithmetic':
      return 'Integer';
    case 'call':
      return resolveFunction(node.name, node.args.length)?.returns ?? 'Boolean';
    default:
      // Including a bare attribute, whose type is unknown when it is missing: the spec says Boolean (3.2).
      return 'Boolean';
  }
}

function arithmetic(node: NodeOf<'arithmetic'>, event: CesqlEvent): number {
  const left = evaluate(node.left, event);
  const right = evaluate(node.right, event);
  const x = castOrFail(node.left, left, 'Integer');
  const y = castOrFail(node.right, right, 'Integer');
  // The spec leaves overflow of + - * undefined; these wrap around like Knative's int32 arithmetic.
  switch (node.operator) {
    case '+':
      return (x + y) | 0;
    case '-':
      return (x - y) | 0;
    case '*':
      return Math.imul(x, y);
    case '/':
    case '%':
      if (y === 0) return fail(node.right, 'math', `division by zero in ${node.operator}`);
      // Truncating division and a remainder with the sign of x (spec 3.4.2); `| 0` also turns -0 into 0.
      return (node.operator === '/' ? Math.trunc(x / y) : x % y) | 0;
  }
}

function compare(node: NodeOf<'comparison'>, event: CesqlEvent): boolean {
  const left = evaluate(node.left, event);
  const right = evaluate(node.right, event);
  switch (node.operator) {
    // `=` exists for every type; the right operand's type picks which, and the left is cast to it (spec 3.7).
    case '=':
      return castOrFail(node.left, left, typeOf(right)) === right;
    case '!=':
    case '<>':
      return castOrFail(node.left, left, typeOf(right)) !== right;
  }
  const x = castOrFail(node.left, left, 'Integer');
  const y = castOrFail(node.right, right, 'Integer');
  switch (node.operator) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
}

/** Set elements are cast to the left operand's type (spec 3.7) and evaluated only until one matches. */
function isInSet(node: NodeOf<'in'>, event: CesqlEvent): boolean {
  const needle = evaluate(node.operand, event);
  const type = typeOf(needle);
  return node.set.some((element) => castOrFail(element, evaluate(element, event), type) === needle);
}

/**
 * `a op (b op (c ...))` without recursion: walk the operands left to right, stacking each whose
 * operator needs the rest, until the last operand or a short circuit (AND after false, OR after
 * true: spec 3.4.2 forbids evaluating their right side); then fold the stack back.
 */
function logicChain(node: NodeOf<'logic'>, event: CesqlEvent): boolean {
  const pending: { value: boolean; operator: LogicOperator }[] = [];
  let result: boolean | undefined;
  for (let index = 0; result === undefined; index += 1) {
    const operand = node.operands[index] as CesqlNode;
    const value = castOrFail(operand, evaluate(operand, event), 'Boolean');
    const operator = node.operators[index];
    if (operator === undefined || (operator === 'AND' && !value) || (operator === 'OR' && value)) result = value;
    else pending.push({ value, operator });
  }
  // A stacked AND had true on its left and a stacked OR false, so both yield their right side.
  for (const { value, operator } of pending.reverse()) if (operator === 'XOR') result = value !== result;
  return result;
}

function call(node: NodeOf<'call'>, event: CesqlEvent): CesqlValue {
  const fn = resolveFunction(node.name, node.args.length);
  if (fn === undefined) return fail(node, 'missingFunction', `no function ${node.name} takes ${node.args.length} argument${node.args.length === 1 ? '' : 's'}`);
  const args = node.args.map((arg, index) => {
    const type = parameterType(fn, index);
    const value = evaluate(arg, event);
    return type === 'Any' ? value : castOrFail(arg, value, type);
  });
  const outcome = fn.run(args);
  if (outcome.error !== undefined) throw new Failure({ ...outcome.error, offset: node.offset }, node, outcome.value);
  return outcome.value;
}

/** The implicit cast of an operand; a failed cast is a CastError pointing at that operand. */
function castOrFail<T extends CesqlType>(operand: CesqlNode, value: CesqlValue, target: T): Cast<T>['value'] {
  const result = cast(value, target);
  return result.error === undefined ? result.value : fail(operand, 'cast', result.error);
}

function fail(node: CesqlNode, kind: CesqlErrorKind, message: string): never {
  throw new Failure({ kind, message, offset: node.offset });
}

const REQUIRED_ATTRIBUTES = new Set(['specversion', 'id', 'source', 'type']);

/** An attribute as a CESQL value; undefined when the event does not have it. */
function readAttribute(event: CesqlEvent, name: string): CesqlValue | undefined {
  // Own properties only, or `constructor` would be found on every object; `data` is the payload.
  const raw = name !== 'data' && Object.hasOwn(event, name) ? event[name] : undefined;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= -2147483648 && raw <= 2147483647) return raw | 0;
  // Anything else (a timestamp, a number that is no 32-bit integer) is a String (spec 3.2).
  return raw instanceof Date && !Number.isNaN(raw.getTime()) ? raw.toISOString() : String(raw);
}
