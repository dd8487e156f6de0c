/**
 * Splits a CESQL expression into tokens, following the lexer grammar that ships with the spec
 * (cesql/CESQLLexer.g4), which is what Knative's parser (cloudevents/sdk-go sql/v2) runs.
 */
import { CesqlParseError } from './errors.js';

export type SymbolText = '(' | ')' | ',' | '*' | '/' | '%' | '+' | '-' | '=' | '!=' | '<>' | '<=' | '>=' | '<' | '>';

interface Span {
  /** Offset of the first character. */
  readonly offset: number;
}

export type Token =
  | (Span & { readonly kind: 'integer'; readonly value: number; readonly signed: boolean })
  | (Span & { readonly kind: 'string'; readonly value: string })
  /** A run of letters, digits and underscores: a keyword, an attribute name or a function name. */
  | (Span & { readonly kind: 'word'; readonly text: string })
  | (Span & { readonly kind: 'symbol'; readonly text: SymbolText })
  | (Span & { readonly kind: 'end' });

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

const TWO_CHAR_SYMBOLS = new Set(['!=', '<>', '<=', '>=']);
const ONE_CHAR_SYMBOLS = new Set('(),*/%+-=<>');

const isDigit = (char: string | undefined): boolean => char !== undefined && char >= '0' && char <= '9';
const isWordChar = (char: string | undefined): boolean => char !== undefined && /^[A-Za-z0-9_]$/.test(char);

export function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < expression.length) {
    const char = expression[index] as string;
    const next = expression[index + 1];
    // The grammar skips exactly these; any other whitespace is an unexpected character.
    if (char === ' ' || char === '\t' || char === '\r' || char === '\n') {
      index += 1;
    } else if (char === "'" || char === '"') {
      index = readString(expression, index, tokens);
    } else if ((char === '+' || char === '-') && isDigit(next)) {
      // The grammar's INTEGER_LITERAL carries its sign and the lexer takes the longest match, so
      // `4 -1` is the two literals 4 and -1 (a parse error), not a subtraction, just as in Knative.
      index = readInteger(expression, index, index + 1, tokens);
    } else if (isDigit(char) || /^[A-Za-z]$/.test(char)) {
      let end = index;
      while (isWordChar(expression[end])) end += 1;
      const text = expression.slice(index, end);
      if (/^[0-9]+$/.test(text)) readInteger(expression, index, index, tokens);
      else tokens.push({ kind: 'word', text, offset: index });
      index = end;
    } else if (next !== undefined && TWO_CHAR_SYMBOLS.has(char + next)) {
      tokens.push({ kind: 'symbol', text: (char + next) as SymbolText, offset: index });
      index += 2;
    } else if (ONE_CHAR_SYMBOLS.has(char)) {
      tokens.push({ kind: 'symbol', text: char as SymbolText, offset: index });
      index += 1;
    } else {
      throw new CesqlParseError(expression, index, `found unexpected character ${JSON.stringify(char)}`);
    }
  }
  tokens.push({ kind: 'end', offset: expression.length });
  return tokens;
}

/** Reads an integer literal (optional sign at `start`, digits from `digitsStart`); returns the offset after it. */
function readInteger(expression: string, start: number, digitsStart: number, tokens: Token[]): number {
  let end = digitsStart;
  while (isDigit(expression[end])) end += 1;
  const text = expression.slice(start, end);
  const value = Number(text);
  if (value < INT32_MIN || value > INT32_MAX) {
    throw new CesqlParseError(expression, start, `found ${text}, which is outside the 32-bit signed integer range of CESQL literals`);
  }
  // `| 0` turns -0 (from "-0") into 0, the only zero CESQL integers have.
  tokens.push({ kind: 'integer', value: value | 0, signed: start !== digitsStart, offset: start });
  return end;
}

/**
 * Reads a quoted string; returns the offset after its closing quote. A backslash always pairs
 * with the next character: before the string's own quote it stands for that quote, otherwise
 * both characters are kept (so LIKE patterns can carry `\%` and `\_`), as in the sdk-go parser.
 */
function readString(expression: string, start: number, tokens: Token[]): number {
  const quote = expression[start] as string;
  let value = '';
  let index = start + 1;
  while (index < expression.length) {
    const char = expression[index] as string;
    if (char === '\\' && index + 1 < expression.length) {
      const escaped = expression[index + 1] as string;
      value += escaped === quote ? quote : char + escaped;
      index += 2;
    } else if (char === quote) {
      // The grammar also lexes a doubled quote inside a string, but Knative keeps both quote
      // characters in the value; refusing it beats silently disagreeing about what it means.
      if (expression[index + 1] === quote) {
        throw new CesqlParseError(expression, index, `found a doubled ${quote} inside a string; write \\${quote} for a quote character`);
      }
      tokens.push({ kind: 'string', value, offset: start });
      return index + 1;
    } else {
      value += char;
      index += 1;
    }
  }
  throw new CesqlParseError(expression, start, 'the string opened here is never closed', [`a closing ${quote}`]);
}
