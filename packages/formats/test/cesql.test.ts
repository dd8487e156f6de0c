import { describe, expect, it } from 'vitest';
import { CESQL_LIMITS, CesqlParseError, evaluateCesql, parseCesql, type CesqlErrorKind, type CesqlValue } from '../src/cesql/index.js';
import { RegEventsFormatError } from '../src/errors.js';

const event = {
  specversion: '1.0',
  id: 'evt-42',
  source: '//harbor.example.com',
  type: 'io.regevents.artifact.pushed',
  subject: 'library/app:v1',
  time: '2024-05-01T10:00:00Z',
  registrykind: 'harbor',
  repository: 'library/app',
  sequence: '7',
  retries: 3,
  signed: true,
  ratio: 1.5,
  huge: 2 ** 40,
  empty: '',
  data: { type: 'not an attribute', sequence: 1 },
};

/** Expression, expected value (no errors expected). */
type Case = [string, CesqlValue];
/** Expression, expected value, the one error kind expected alongside it. */
type ErrorCase = [string, CesqlValue, CesqlErrorKind];

function expectValue(expression: string, value: CesqlValue, target: Record<string, unknown> = event): void {
  const result = evaluateCesql(expression, target);
  expect(result.errors).toEqual([]);
  expect(result.value).toBe(value);
}

function expectError(expression: string, value: CesqlValue, kind: CesqlErrorKind, target: Record<string, unknown> = event): void {
  const result = evaluateCesql(expression, target);
  expect(result.errors.map((error) => error.kind)).toEqual([kind]);
  expect(result.value).toBe(value);
}

function parseError(expression: string): CesqlParseError {
  try {
    parseCesql(expression);
  } catch (error) {
    if (error instanceof CesqlParseError) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(expression)} parsed`);
}

describe('literals', () => {
  it.each<Case>([
    ["'plain'", 'plain'],
    ['"double"', 'double'],
    ["''", ''],
    ["'Mixed Case Kept'", 'Mixed Case Kept'],
    ["'it\\'s'", "it's"],
    ['"say \\"hi\\""', 'say "hi"'],
    ['"single \' inside double"', "single ' inside double"],
    ["'double \" inside single'", 'double " inside single'],
    // Only the string's own quote is unescaped; other backslashes stay, for LIKE's \% and \_.
    ["'a\\\"b'", 'a\\"b'],
    ["'back\\slash'", 'back\\slash'],
    ["'50\\%'", '50\\%'],
    ["'line\nbreak'", 'line\nbreak'],
    ['0', 0],
    ['42', 42],
    ['007', 7],
    ['+5', 5],
    ['-0', 0],
    ['2147483647', 2147483647],
    ['-2147483648', -2147483648],
    ['TRUE', true],
    ['false', false],
    ['tRuE', true],
    ['FaLsE', false],
    ['  \t\r\n 1 \n', 1],
  ])('%s', (expression, value) => {
    expectValue(expression, value);
  });

  it('normalises -0 to the one integer zero', () => {
    expect(Object.is(evaluateCesql('-0', event).value, 0)).toBe(true);
  });
});

describe('attributes', () => {
  it.each<Case>([
    ['id', 'evt-42'],
    ['type', 'io.regevents.artifact.pushed'],
    ['time', '2024-05-01T10:00:00Z'],
    ['registrykind', 'harbor'],
    ['retries', 3],
    ['signed', true],
    ['empty', ''],
    // Attribute names are matched case-insensitively, like keywords.
    ['REGISTRYKIND', 'harbor'],
    ['RegistryKind', 'harbor'],
    // Numbers that are not 32-bit integers are not CESQL integers: they are represented as Strings.
    ['ratio', '1.5'],
    ['huge', '1099511627776'],
    ['retries + 1', 4],
    ['sequence + 1', 8],
    ['signed = TRUE', true],
  ])('%s', (expression, value) => {
    expectValue(expression, value);
  });

  it.each<ErrorCase>([
    // A bare missing attribute has no known type: the spec says Boolean, so false.
    ['dataschema', false, 'missingAttribute'],
    ['data', false, 'missingAttribute'],
    ['constructor', false, 'missingAttribute'],
    ['dataschema = \'\'', false, 'missingAttribute'],
    ['dataschema * 5', 0, 'missingAttribute'],
    ['-dataschema', 0, 'missingAttribute'],
    ['1 / dataschema', 0, 'missingAttribute'],
    ['dataschema / 0', 0, 'missingAttribute'],
    ['TRUE AND dataschema = \'x\'', false, 'missingAttribute'],
    ['UPPER(dataschema)', '', 'missingAttribute'],
    ['LENGTH(dataschema)', 0, 'missingAttribute'],
  ])('%s', (expression, value, kind) => {
    expectError(expression, value, kind);
  });

  it('treats null as absent, and date objects as RFC 3339 strings', () => {
    expectError('subject', false, 'missingAttribute', { ...event, subject: null });
    expectValue("time LIKE '2024-05-01T10:00:00%'", true, { ...event, time: new Date('2024-05-01T10:00:00Z') });
  });

  it('points a missing attribute error at the attribute', () => {
    const result = evaluateCesql("type = 'x' OR nothere = 1", event);
    expect(result.errors).toEqual([{ kind: 'missingAttribute', message: expect.stringContaining('nothere') as unknown, offset: 14 }]);
  });
});

describe('EXISTS', () => {
  it.each<Case>([
    ['EXISTS subject', true],
    ['EXISTS dataschema', false],
    ['NOT EXISTS dataschema', true],
    ['exists TIME', true],
    ['EXISTS empty', true],
    ['EXISTS data', false],
    ['EXISTS constructor', false],
  ])('%s', (expression, value) => {
    expectValue(expression, value);
  });

  it('is always true for the REQUIRED attributes, as the spec assumes a valid event', () => {
    expectValue('EXISTS specversion AND EXISTS id AND EXISTS source AND EXISTS type', true, { subject: 'only' });
  });
});

describe('unary operators', () => {
  it.each<Case>([
    ['NOT TRUE', false],
    ['NOT FALSE', true],
    ['NOT NOT TRUE', true],
    ["NOT 'false'", true],
    ["NOT 'TRUE'", false],
    // Integer to Boolean is a cast the spec requires (3.7): 0 is false, anything else true.
    ['NOT 0', true],
    ['NOT 10', false],
    ['-retries', -3],
    ["-'12'", -12],
    ['-TRUE', -1],
    ['- 5', -5],
    ['- -5', 5],
    ['--5', 5],
    // 32-bit wrap-around, as in Knative's engine.
    ['-(-2147483648)', -2147483648],
  ])('%s', (expression, value) => {
    expectValue(expression, value);
  });

  it.each<ErrorCase>([
    ["NOT 'yes'", false, 'cast'],
    ["-'ten'", 0, 'cast'],
  ])('%s', (expression, value, kind) => {
    expectError(expression, value, kind);
  });
});

describe('arithmetic', () => {
  it.each<Case>([
    ['6 * 7', 42],
    ['7 / 2', 3],
    ['-7 / 2', -3],
    ['7 / -2', -3],
    ['7 % 3', 1],
    ['-7 % 3', -1],
    ['7 % -3', 1],
    ['2 + 3', 5],
    ['2 - 3', -1],
    ["'40' + 2", 42],
    ["'40' + '2'", 42],
    ['TRUE + TRUE', 2],
    ['FALSE * 9', 0],
    ['2147483647 + 1', -2147483648],
    ['-2147483648 - 1', 2147483647],
    ['65536 * 65536', 0],
    ['65537 * 65537', 131073],
    ['-2147483648 / -1', -2147483648],
    ['-2147483648 % -1', 0],
  ])('%s', (expression, value) => {
    expectValue(expression, value);
  });

  it('never yields -0', () => {
    expect(Object.is(evaluateCesql('-5 % 5', event).value, 0)).toBe(true);
    expect(Object.is(evaluateCesql('0 * -1', event).value, 0)).toBe(true);
  });

  it.each<ErrorCase>([
    ['5 / 0', 0, 'math'],
    ['5 % 0', 0, 'math'],
    ['retries / (retries - 3)', 0, 'math'],
    ['(1 / 0) = 0', false, 'math'],
    ["'x' + 1", 0, 'cast'],
    ["1 + '1.0'", 0, 'cast'],
    ["1 + ' 1'", 0, 'cast'],
    ["1 + '2147483648'", 0, 'cast'],
  ])('%s', (expression, value, kind) => {
    expectError(expression, value, kind);
  });

  it('points a division by zero at the divisor', () => {
    expect(evaluateCesql('10 / (2 - 2)', event).errors[0]?.offset).toBe(6);
  });
});

describe('comparisons', () => {
  it.each<Case>([
    ['1 = 1', true],
    ['1 = 2', false],
    ['1 != 2', true],
    ['1 <> 1', false],
    ['1 < 2', true],
    ['2 < 2', false],
    ['2 <= 2', true],
    ['3 <= 2', false],
    ['3 > 2', true],
    ['2 > 2', false],
    ['2 >= 2', true],
    ['1 >= 2', false],
    ["'abc' = 'abc'", true],
    ["'abc' = 'ABC'", false],
    ["'abc' <> 'ABC'", true],
    ['TRUE = TRUE', true],
    ['TRUE != FALSE', true],
    // The right operand's type picks the `=` to use; the left is cast to it (spec 3.7).
    ["TRUE = 'true'", true],
    ["TRUE = 'TRUE'", false],
    ["'TRUE' = TRUE", true],
    ["sequence = 7", true],
    ["retries = '3'", true],
    ["1 = '01'", false],
    ["'01' = 1", true],
    ['0 = FALSE', true],
    ['5 = TRUE', true],
    ["'10' < '9'", false],
    ["retries >= '3'", true],
  ])('%s', (expression, value) => {
    expectValue(expression, value);
  });

  it.each<ErrorCase>([
    ["'abc' = 1", false, 'cast'],
    ["'yes' = TRUE", false, 'cast'],
    ["'a' < 'b'", false, 'cast'],
    ['type > 1', false, 'cast'],
  ])('%s', (expression, value, kind) => {
    expectError(expression, value, kind);
  });
});

describe('LIKE', () => {
  it.each<Case>([
    ["type LIKE 'io.regevents.%'", true],
    ["type LIKE 'io.regevents.blob.%'", false],
    ["type LIKE '%.pushed'", true],
    ["type LIKE '%artifact%'", true],
    ["type LIKE 'io.regevents.artifact.pushed'", true],
    ["type LIKE 'IO.%'", false],
    ["subject LIKE 'library/app:v_'", true],
    ["subject LIKE 'library/app:v__'", false],
    ["subject LIKE '%:%'", true],
    ["'' LIKE '%'", true],
    ["'' LIKE '_'", false],
    ["'' LIKE ''", true],
    ["'abc' LIKE ''", false],
    ["'aaa' LIKE 'a%a%a'", true],
    ["'aa' LIKE 'a%a%a'", false],
    ["'mississippi' LIKE '%iss%ipp%'", true],
    ["'abcab' LIKE '%ab'", true],
    ["'x' LIKE '%%%'", true],
    // \% and \_ match themselves only.
    ["'100%' LIKE '100\\%'", true],
    ["'1000' LIKE '100\\%'", false],
    ["'a_b' LIKE 'a\\_b'", true],
    ["'axb' LIKE 'a\\_b'", false],
    // Any other backslash is an ordinary character.
    ["'a\\b' LIKE 'a\\b'", true],
    ["'ab' LIKE 'a\\b'", false],
    ["'C:\\\\' LIKE 'C:%'", true],
    // `_` is one character, even outside the BMP.
    ["'🐳' LIKE '_'", true],
    ["'é🐳' LIKE '__'", true],
    ['"it\'s" LIKE \'it\\\'s\'', true],
    ["type NOT LIKE '%.pulled'", true],
    ["type NOT LIKE '%.pushed'", false],
    // The left operand is cast to String.
    ["retries LIKE '3'", true],
    ["2024 LIKE '20__'", true],
    ["TRUE LIKE 't%'", true],
    ["FALSE LIKE 'fa_se'", true],
    ['type like "%pushed"', true],
  ])('%s', (expression, value) => {
    expectValue(expression, value);
  });

  it('stays fast on patterns that make backtracking matchers explode', () => {
    const started = performance.now();
    const text = 'a'.repeat(2000);
    expectValue(`'${text}' LIKE '${'%a'.repeat(200)}b'`, false);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('needs a string literal pattern', () => {
    expect(parseError('retries LIKE 3').expected).toEqual(['a string literal pattern after LIKE']);
    expect(parseError("type LIKE ('a')").offset).toBe(10);
    expect(() => parseCesql('type LIKE subject')).toThrow(CesqlParseError);
  });
});

describe('IN', () => {
  it.each<Case>([
    ["registrykind IN ('acr', 'harbor')", true],
    ["registrykind IN ('acr', 'ecr')", false],
    ["registrykind NOT IN ('acr', 'ecr')", true],
    ["registrykind NOT IN ('harbor')", false],
    ['3 IN (1, 2, 3)', true],
    ['TRUE IN (FALSE)', false],
    ['registrykind IN (registrykind)', true],
    ["subject IN (id, CONCAT(repository, ':v1'))", true],
    // Set elements are cast to the left operand's type.
    ["retries IN ('2', '3')", true],
    ["'3' IN (2, 3)", true],
    ["'03' IN (3)", false],
    ["'true' IN (TRUE)", true],
    ["'TRUE' IN (TRUE)", false],
    // Evaluation stops at the first match.
    ['1 IN (1, 1 / 0)', true],
  ])('%s', (expression, value) => {
    expectValue(expression, value);
  });

  it.each<ErrorCase>([
    ["1 IN ('one', 1)", false, 'cast'],
    ["TRUE IN ('yes', 'true')", false, 'cast'],
    ['1 IN (2, 1 / 0)', false, 'math'],
    ['1 NOT IN (2, 1 / 0)', false, 'math'],
    ['dataschema IN (1)', false, 'missingAttribute'],
  ])('%s', (expression, value, kind) => {
    expectError(expression, value, kind);
  });

  it('needs a non-empty parenthesised set', () => {
    expect(parseError('1 IN ()').offset).toBe(6);
    expect(parseError('1 IN 1').expected).toEqual(['"(" opening the set after IN']);
    expect(parseError('1 IN (1, 2').expected).toEqual(['an operator', '","', '")"']);
  });
});

describe('AND, OR, XOR', () => {
  const truth: [boolean, boolean][] = [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ];

  it.each(truth)('%s with %s', (x, y) => {
    expectValue(`${x} AND ${y}`, x && y);
    expectValue(`${x} OR ${y}`, x || y);
    expectValue(`${x} XOR ${y}`, x !== y);
  });

  it.each<Case>([
    ["'true' AND 1", true],
    ['0 OR FALSE', false],
    // Short circuits: the right side is not evaluated, so its error never happens.
    ['FALSE AND 1 / 0 = 0', false],
    ['TRUE OR dataschema = 1', true],
    ['signed or nothere', true],
    // One precedence level, grouped from the right as in the grammar (Knative agrees):
    // FALSE AND (FALSE OR TRUE), where left to right would give TRUE.
    ['FALSE AND FALSE OR TRUE', false],
    ['TRUE OR TRUE AND FALSE', true],
    ['TRUE XOR TRUE XOR TRUE', true],
    ['(FALSE AND FALSE) OR TRUE', true],
    ['FALSE XOR FALSE AND TRUE', false],
  ])('%s', (expression, value) => {
    expectValue(expression, value);
  });

  it.each<ErrorCase>([
    ['TRUE AND 1 / 0 = 0', false, 'math'],
    ['FALSE OR 1 / 0 = 0', false, 'math'],
    ['TRUE XOR 1 / 0 = 0', false, 'math'],
    ["'maybe' AND TRUE", false, 'cast'],
    ["TRUE AND 'maybe'", false, 'cast'],
  ])('%s', (expression, value, kind) => {
    expectError(expression, value, kind);
  });

  it('evaluates chains of thousands of conditions without recursing', () => {
    const kinds = Array.from({ length: 2000 }, (_, index) => `registrykind = 'k${index}'`);
    expectValue(kinds.join(' OR '), false);
    expectValue([...kinds, "registrykind = 'harbor'"].join(' OR '), true);
    expectValue(Array.from({ length: 5000 }, () => 'signed').join(' AND '), true);
    expectValue(Array.from({ length: 5001 }, () => 'TRUE').join(' XOR '), true);
  });
});

describe('precedence', () => {
  it.each<Case>([
    ['2 + 3 * 4', 14],
    ['(2 + 3) * 4', 20],
    ['10 - 4 - 3', 3],
    ['100 / 10 / 5', 2],
    ['7 - 2 * 3 + 1', 2],
    ['8 % 5 * 2', 6],
    ['1 + 1 = 2', true],
    ['2 = 1 + 1', true],
    ['1 < 2 = TRUE', true],
    // NOT binds tighter than every binary operator: (NOT TRUE) = FALSE.
    ['NOT TRUE = FALSE', true],
    ['NOT (TRUE = FALSE)', true],
    ['NOT FALSE AND FALSE', false],
    // IN and LIKE bind tighter than arithmetic: 1 + (2 IN (3)) is 1 + 0.
    ['1 + 2 IN (3)', 1],
    ['(1 + 2) IN (3)', true],
    // 'true' = ('a' LIKE 'a'); from the left it would be ('true' = 'a') LIKE 'a', false.
    ["'true' = 'a' LIKE 'a'", true],
    ['- 2 * 3', -6],
    ['-retries * -1', 3],
    ['retries = 3 AND signed', true],
    ["registrykind = 'harbor' AND type LIKE '%.pushed' OR FALSE", true],
  ])('%s', (expression, value) => {
    expectValue(expression, value);
  });

  it('applies NOT before LIKE, so NOT attr LIKE casts the attribute to Boolean', () => {
    expectError("NOT type LIKE 'io.%'", false, 'cast');
    expectValue("NOT (type LIKE 'io.%')", false);
    expectValue("type NOT LIKE 'io.%'", false);
  });
});

describe('functions', () => {
  it.each<Case>([
    ['ABS(-5)', 5],
    ['ABS(5)', 5],
    ['ABS(0)', 0],
    ["ABS('-12')", 12],
    ['LENGTH(subject)', 14],
    ["LENGTH('')", 0],
    ['LENGTH(retries * 100)', 3],
    ['LENGTH(FALSE)', 5],
    ["LENGTH('🐳é')", 2],
    ['CONCAT()', ''],
    ["CONCAT('x')", 'x'],
    ["CONCAT(repository, ':', 'v', 1)", 'library/app:v1'],
    ["CONCAT_WS('/')", ''],
    ["CONCAT_WS('/', 'a')", 'a'],
    ["CONCAT_WS(', ', 'a', 'b', 'c')", 'a, b, c'],
    ["CONCAT_WS(0, 1, 2)", '102'],
    ["LOWER('HaRbOr')", 'harbor'],
    ["UPPER('HaRbOr')", 'HARBOR'],
    ["UPPER(TRUE)", 'TRUE'],
    ["TRIM('  padded  ')", 'padded'],
    ["TRIM('\t\n x y \r')", 'x y'],
    // Unicode White_Space is trimmed (NBSP, ideographic space); a BOM is not whitespace.
    ["TRIM('\u00a0\u3000x\u2003')", 'x'],
    ["TRIM('\ufeffx')", '\ufeffx'],
    ["LEFT('harbor', 3)", 'har'],
    ["LEFT('harbor', 0)", ''],
    ["LEFT('harbor', 6)", 'harbor'],
    ["LEFT('harbor', 60)", 'harbor'],
    ["LEFT('🐳🐳x', 1)", '🐳'],
    ["RIGHT('harbor', 2)", 'or'],
    ["RIGHT('harbor', 0)", ''],
    ["RIGHT('harbor', 99)", 'harbor'],
    ["SUBSTRING('registry', 1)", 'registry'],
    ["SUBSTRING('registry', 4)", 'istry'],
    ["SUBSTRING('registry', 8)", 'y'],
    ["SUBSTRING('registry', -3)", 'try'],
    ["SUBSTRING('registry', -8)", 'registry'],
    ["SUBSTRING('registry', 0)", ''],
    ["SUBSTRING('registry', 3, 4)", 'gist'],
    ["SUBSTRING('registry', -3, 2)", 'tr'],
    ["SUBSTRING('registry', 6, 100)", 'try'],
    ["SUBSTRING('registry', 2, 0)", ''],
    ["SUBSTRING('registry', 0, 3)", ''],
    ["SUBSTRING('a🐳b', 2, 1)", '🐳'],
    ["INT('42')", 42],
    ["INT('+42')", 42],
    ["INT('-42')", -42],
    ['INT(TRUE)', 1],
    ['INT(FALSE)', 0],
    ['INT(9)', 9],
    ["BOOL('True')", true],
    ["BOOL('FALSE')", false],
    ['BOOL(0)', false],
    ['BOOL(-3)', true],
    ['BOOL(TRUE)', true],
    ['STRING(-12)', '-12'],
    ['STRING(TRUE)', 'true'],
    ["STRING('s')", 's'],
    ["IS_INT('12')", true],
    ["IS_INT('1.2')", false],
    ['IS_INT(TRUE)', true],
    ["IS_BOOL('false')", true],
    ["IS_BOOL('no')", false],
    ['IS_BOOL(2)', true],
    ['int(sequence) < int(retries) * 3', true],
    ['Concat_Ws(\'-\', registrykind, retries)', 'harbor-3'],
    ['upper ( registrykind )', 'HARBOR'],
  ])('%s', (expression, value) => {
    expectValue(expression, value);
  });

  it.each<ErrorCase>([
    // Functions fail with their defined fallback value.
    ['ABS(-2147483648)', 2147483647, 'math'],
    ["LEFT('harbor', -1)", 'harbor', 'functionEvaluation'],
    ["RIGHT('harbor', -1)", 'harbor', 'functionEvaluation'],
    ["SUBSTRING('registry', 9)", '', 'functionEvaluation'],
    ["SUBSTRING('registry', -9)", '', 'functionEvaluation'],
    ["SUBSTRING('registry', 2, -1)", '', 'functionEvaluation'],
    ["SUBSTRING('', 1)", '', 'functionEvaluation'],
    ["INT('forty')", 0, 'cast'],
    ["INT('2147483648')", 0, 'cast'],
    ["BOOL('yes')", false, 'cast'],
    // An enclosing operation yields its own zero value instead.
    ["LEFT('harbor', -1) = 'harbor'", false, 'functionEvaluation'],
    ["LENGTH(LEFT('harbor', -1))", 0, 'functionEvaluation'],
    ['ABS(-2147483648) + 0', 0, 'math'],
    // Implicit casts of arguments.
    ["ABS('abs')", 0, 'cast'],
    ["LEFT('harbor', 'two')", '', 'cast'],
    // Unknown names, and known names with the wrong number of arguments, are missing functions.
    ['NOPE(1)', false, 'missingFunction'],
    ["IS_STRING('x')", false, 'missingFunction'],
    ['CONCAT_WS()', false, 'missingFunction'],
    ['ABS()', false, 'missingFunction'],
    ['ABS(1, 2)', false, 'missingFunction'],
    ["SUBSTRING('a')", false, 'missingFunction'],
    ["SUBSTRING('a', 1, 1, 1)", false, 'missingFunction'],
    ["NOPE(1) = 'x'", false, 'missingFunction'],
  ])('%s', (expression, value, kind) => {
    expectError(expression, value, kind);
  });

  it('reports a missing function when evaluated, not when parsed, as Knative does', () => {
    const compiled = parseCesql('FOO(registrykind)');
    expect(compiled.evaluate(event).errors).toEqual([{ kind: 'missingFunction', message: 'no function FOO takes 1 argument', offset: 0 }]);
  });

  it('points a function error at the call', () => {
    expect(evaluateCesql("TRUE AND LEFT('x', -1) = 'x'", event).errors[0]).toMatchObject({ kind: 'functionEvaluation', offset: 9 });
  });
});

describe('parse errors', () => {
  it.each<[string, number, readonly string[]]>([
    ['', 0, ['an expression']],
    ['   ', 3, ['an expression']],
    ['(1 + 2', 6, ['an operator', '")"']],
    ['1 + 2)', 5, ['an operator', 'the end of the expression']],
    ['1 +', 3, ['an expression']],
    ['retries 3', 8, ['an operator', 'the end of the expression']],
    ['ABS(', 4, ['an expression']],
    ['ABS(1', 5, ['an operator', '","', '")"']],
    ['ABS(1,)', 6, ['an expression']],
    ['EXISTS', 6, ['an attribute name after EXISTS']],
    ["EXISTS 'subject'", 7, ['an attribute name after EXISTS']],
    ['EXISTS and', 7, ['an attribute name after EXISTS']],
    ['type NOT subject', 9, ['LIKE or IN after NOT']],
    ['AND', 0, ['an expression']],
    ['1 = = 1', 4, ['an expression']],
    ['"unterminated', 0, ['a closing "']],
  ])('%j fails at %i', (expression, offset, expected) => {
    const error = parseError(expression);
    expect(error.offset).toBe(offset);
    expect(error.expected).toEqual(expected);
    expect(error.expression).toBe(expression);
  });

  it.each<[string, number, string]>([
    ['type # 1', 5, 'unexpected character "#"'],
    ['1 ! 2', 2, 'unexpected character "!"'],
    ['1 == 1', 3, 'found "="'],
    ['\u00a01', 0, 'unexpected character'],
    ['2147483648', 0, 'outside the 32-bit signed integer range'],
    ['-2147483649', 0, 'outside the 32-bit signed integer range'],
    ['my_ext = 1', 0, 'not an attribute name'],
    ['abs2(1)', 0, 'not a function name'],
    ["'it''s'", 3, 'doubled'],
    // A sign glued to digits makes an integer literal, so these are two operands in a row (as in Knative).
    ['retries -1', 8, 'write "x - 1"'],
    ['retries+1', 7, 'write "x - 1"'],
  ])('%j fails at %i: %s', (expression, offset, message) => {
    const error = parseError(expression);
    expect(error.offset).toBe(offset);
    expect(error.message).toContain(message);
  });

  it('is a typed RegEventsFormatError with an issue giving the offset', () => {
    const error = parseError("type = 'x' AND (subject");
    expect(error).toBeInstanceOf(RegEventsFormatError);
    expect(error.name).toBe('CesqlParseError');
    expect(error.issues).toEqual([{ path: '(expression)', message: 'at offset 23: found the end of the expression (expected an operator or ")")' }]);
    expect(error.message).toBe('invalid CESQL expression at offset 23: found the end of the expression (expected an operator or ")")');
  });
});

describe('hostile input', () => {
  function quickly<T>(run: () => T): T {
    const started = performance.now();
    const result = run();
    expect(performance.now() - started).toBeLessThan(2000);
    return result;
  }

  it('refuses expressions longer than the limit before reading them', () => {
    const long = `'${'x'.repeat(CESQL_LIMITS.maxLength)}'`;
    const error = quickly(() => parseError(long));
    expect(CESQL_LIMITS.maxLength).toBe(65_536);
    expect(error.offset).toBe(CESQL_LIMITS.maxLength);
    expect(error.message).toContain('more than the 65536 allowed');
  });

  it('accepts an expression right at the limit', () => {
    const atLimit = `'${'x'.repeat(CESQL_LIMITS.maxLength - 2)}'`;
    expect(quickly(() => evaluateCesql(`${atLimit}`, event).value)).toHaveLength(CESQL_LIMITS.maxLength - 2);
  });

  it.each([
    ['parentheses', (depth: number) => `${'('.repeat(depth)}1${')'.repeat(depth)}`],
    ['NOT', (depth: number) => `${'NOT '.repeat(depth)}TRUE`],
    ['unary minus', (depth: number) => `${'- '.repeat(depth)}1`],
    ['function calls', (depth: number) => `${'ABS('.repeat(depth)}1${')'.repeat(depth)}`],
    ['left-nested additions', (depth: number) => Array.from({ length: depth + 1 }, () => '1').join(' + ')],
    ['sets', (depth: number) => `${'1 IN ('.repeat(depth)}1${')'.repeat(depth)}`],
    ['chained LIKE', (depth: number) => `TRUE${" LIKE 't%'".repeat(depth)}`],
  ])('bounds nesting through %s', (_name, nest) => {
    expect(() => quickly(() => parseCesql(nest(200)).evaluate(event))).not.toThrow();
    const error = quickly(() => parseError(nest(300)));
    expect(error.message).toContain(`nests more than ${CESQL_LIMITS.maxDepth} levels deep`);
  });

  it('stops the deepest nesting that fits in the length limit without running out of stack', () => {
    const error = quickly(() => parseError(`${'('.repeat(30_000)}1${')'.repeat(30_000)}`));
    expect(error.offset).toBe(CESQL_LIMITS.maxDepth);
  });

  it('survives random garbage with a typed error or a value, never a crash', () => {
    const alphabet = ['(', ')', "'", '"', '\\', ',', '-', '+', '*', '/', '%', '=', '<', '>', '!', ' ', 'NOT ', 'AND ', 'IN ', 'LIKE ', 'EXISTS ', 'a', '1', '_', 'ABS'];
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 2000; round += 1) {
      const expression = Array.from({ length: Math.floor(random() * 30) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      try {
        const { value, errors } = parseCesql(expression).evaluate(event);
        expect(['boolean', 'number', 'string']).toContain(typeof value);
        expect(Array.isArray(errors)).toBe(true);
      } catch (error) {
        expect(error).toBeInstanceOf(CesqlParseError);
      }
    }
  });
});

describe('parseCesql', () => {
  it('compiles once and evaluates against many events', () => {
    const compiled = parseCesql("registrykind IN ('harbor', 'quay') AND retries < 5");
    expect(compiled.expression).toBe("registrykind IN ('harbor', 'quay') AND retries < 5");
    expect(compiled.evaluate(event)).toEqual({ value: true, errors: [] });
    expect(compiled.evaluate({ ...event, registrykind: 'acr' })).toEqual({ value: false, errors: [] });
    expect(compiled.evaluate({ ...event, retries: 9 })).toEqual({ value: false, errors: [] });
    expect(compiled.evaluate({ ...event, retries: undefined }).errors.map((error) => error.kind)).toEqual(['missingAttribute']);
  });
});
