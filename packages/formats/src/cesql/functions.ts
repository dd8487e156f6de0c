/**
 * The built-in functions: those of spec 3.5 plus the casting functions INT, BOOL, STRING, IS_INT
 * and IS_BOOL, which the spec uses in its examples and its test suite and which Knative's engine
 * (cloudevents/sdk-go sql/v2) registers. IS_STRING is not among them: in Knative it is a missing
 * function, so an expression using it fails every event there, and it does here too.
 */
import type { CesqlErrorKind } from './errors.js';
import { cast, type CesqlType, type CesqlValue } from './values.js';

/** `Any` parameters take their argument as it is, without an implicit cast. */
export type ParameterType = CesqlType | 'Any';

export interface FunctionOutcome {
  readonly value: CesqlValue;
  /** The function still returns `value` (its defined fallback) along with this error. */
  readonly error?: { readonly kind: CesqlErrorKind; readonly message: string };
}

export interface BuiltinFunction {
  readonly returns: CesqlType;
  /** One type per parameter; a variadic function repeats its last one for extra arguments. */
  readonly parameters: readonly ParameterType[];
  readonly variadic: boolean;
  /** Arguments arrive already cast to `parameters`. */
  run(args: readonly CesqlValue[]): FunctionOutcome;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Code points, so that a character outside the BMP counts once, as the spec's "characters". */
const characters = (text: string): string[] => Array.from(text);

const fixed = (returns: CesqlType, parameters: readonly ParameterType[], run: BuiltinFunction['run']): BuiltinFunction => ({ returns, parameters, variadic: false, run });

const castFunction = (target: CesqlType): BuiltinFunction =>
  fixed(target, ['Any'], ([value]) => {
    const result = cast(value as CesqlValue, target);
    return result.error === undefined ? { value: result.value } : { value: result.value, error: { kind: 'cast', message: result.error } };
  });

const canCast = (target: CesqlType): BuiltinFunction => fixed('Boolean', ['Any'], ([value]) => ({ value: cast(value as CesqlValue, target).error === undefined }));

const functionError = (value: string, message: string): FunctionOutcome => ({ value, error: { kind: 'functionEvaluation', message } });

function substring(text: string, position: number, length?: number): FunctionOutcome {
  const chars = characters(text);
  if (length !== undefined && length < 0) return functionError('', `SUBSTRING: the length ${length} is negative`);
  if (position > chars.length || position < -chars.length) return functionError('', `SUBSTRING: the position ${position} is outside a string of ${chars.length} characters`);
  if (position === 0) return { value: '' };
  const start = position > 0 ? position - 1 : chars.length + position;
  const end = length === undefined ? chars.length : Math.min(chars.length, start + length);
  return { value: chars.slice(start, end).join('') };
}

function leftOrRight(name: 'LEFT' | 'RIGHT'): BuiltinFunction {
  return fixed('String', ['String', 'Integer'], ([text, count]) => {
    const chars = characters(text as string);
    const wanted = count as number;
    if (wanted < 0) return functionError(text as string, `${name}: the length ${wanted} is negative`);
    if (wanted >= chars.length) return { value: text as string };
    return { value: (name === 'LEFT' ? chars.slice(0, wanted) : chars.slice(chars.length - wanted)).join('') };
  });
}

/** Unicode White_Space, which TRIM removes (spec 3.5.1); JS `trim()` uses a different set. */
const EDGE_WHITESPACE = /^\p{White_Space}+|\p{White_Space}+$/gu;

const BUILTINS: ReadonlyMap<string, readonly BuiltinFunction[]> = new Map([
  ['ABS', [fixed('Integer', ['Integer'], ([x]) => (x === INT32_MIN ? { value: INT32_MAX, error: { kind: 'math', message: 'ABS(-2147483648) overflows a 32-bit integer' } } : { value: Math.abs(x as number) }))]],
  ['LENGTH', [fixed('Integer', ['String'], ([text]) => ({ value: characters(text as string).length }))]],
  ['CONCAT', [{ returns: 'String', parameters: ['String'], variadic: true, run: (args) => ({ value: args.join('') }) }]],
  // The separator is a fixed first parameter, so CONCAT_WS() with no argument at all does not exist.
  ['CONCAT_WS', [{ returns: 'String', parameters: ['String', 'String'], variadic: true, run: ([separator, ...parts]) => ({ value: parts.join(separator as string) }) }]],
  ['LOWER', [fixed('String', ['String'], ([text]) => ({ value: (text as string).toLowerCase() }))]],
  ['UPPER', [fixed('String', ['String'], ([text]) => ({ value: (text as string).toUpperCase() }))]],
  ['TRIM', [fixed('String', ['String'], ([text]) => ({ value: (text as string).replace(EDGE_WHITESPACE, '') }))]],
  ['LEFT', [leftOrRight('LEFT')]],
  ['RIGHT', [leftOrRight('RIGHT')]],
  [
    'SUBSTRING',
    [
      fixed('String', ['String', 'Integer'], ([text, position]) => substring(text as string, position as number)),
      fixed('String', ['String', 'Integer', 'Integer'], ([text, position, length]) => substring(text as string, position as number, length as number)),
    ],
  ],
  ['INT', [castFunction('Integer')]],
  ['BOOL', [castFunction('Boolean')]],
  ['STRING', [castFunction('String')]],
  ['IS_INT', [canCast('Integer')]],
  ['IS_BOOL', [canCast('Boolean')]],
]);

/**
 * The overload of `name` (upper-cased) taking `arity` arguments. A variadic overload takes one
 * argument fewer than its parameter list upwards (its repeated parameter may be absent), and the
 * spec forbids it to overlap a fixed-arity one.
 */
export function resolveFunction(name: string, arity: number): BuiltinFunction | undefined {
  return BUILTINS.get(name)?.find((fn) => (fn.variadic ? arity >= fn.parameters.length - 1 : arity === fn.parameters.length));
}

/** The declared type of argument `index` of `fn`. */
export function parameterType(fn: BuiltinFunction, index: number): ParameterType {
  return fn.parameters[Math.min(index, fn.parameters.length - 1)] as ParameterType;
}
