/**
 * How the registry's YAML library (go-yaml v2) reads a plain scalar. It follows YAML 1.1, not the
 * 1.2 core schema: `yes`, `on` and `y` are booleans, `0777` is octal, `1_000` is an integer. The
 * registry decodes what it resolves into typed Go fields, so the linter must resolve the same way.
 */

export type GoYamlScalar =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string };

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE']);
const FALSES = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE']);
const SPECIAL_FLOATS: ReadonlyMap<string, number> = new Map([
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((text) => [text, Infinity] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((text) => [text, -Infinity] as const),
  ...['.nan', '.NaN', '.NAN'].map((text) => [text, NaN] as const),
]);
/** Go's `strconv.ParseInt(s, 0, 64)` syntax: 0x, 0o, 0b prefixes and a leading 0 for octal. */
const GO_INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/;
const GO_YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const UINT64_MAX = (1n << 64n) - 1n;

function parseGoInt(text: string): bigint | undefined {
  const match = GO_INT.exec(text);
  if (!match) return undefined;
  const [, sign, digits = ''] = match;
  const body = /^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits.replace(/^0[oO]/, '0o');
  const magnitude = BigInt(body);
  // int64 for negatives, uint64 otherwise; anything larger falls through to float as in Go
  if (sign === '-' ? magnitude > 1n << 63n : magnitude > UINT64_MAX) return undefined;
  return sign === '-' ? -magnitude : magnitude;
}

/** Resolves the text of a plain (unquoted) scalar as go-yaml v2 does. */
export function resolvePlainScalar(text: string): GoYamlScalar {
  if (NULLS.has(text)) return { kind: 'null' };
  if (TRUES.has(text)) return { kind: 'bool', value: true };
  if (FALSES.has(text)) return { kind: 'bool', value: false };
  const special = SPECIAL_FLOATS.get(text);
  if (special !== undefined) return { kind: 'float', value: special };
  if (/^[-+.0-9]/.test(text)) {
    const plain = text.replaceAll('_', '');
    const integer = parseGoInt(plain);
    if (integer !== undefined) return { kind: 'int', value: integer };
    if (GO_YAML_FLOAT.test(plain)) return { kind: 'float', value: Number(plain) };
  }
  return { kind: 'string', value: text };
}
