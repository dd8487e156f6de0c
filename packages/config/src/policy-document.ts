import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { childPath } from './diagnostics.js';
import { suggestion } from './did-you-mean.js';
import { GoDurationError, MILLISECOND, parseGoDuration } from './go-duration.js';
import { exceedsBytes } from './parse.js';

/**
 * A finding about a policy (replication, retention, …) given as data or as YAML. `path` names the
 * value (`targets[0].registry`); `line` and `column` are set when the policy came from YAML text.
 */
export interface PolicyDiagnostic {
  severity: 'error' | 'warning';
  /** A stable code such as `invalid-type`, `unknown-key`, `invalid-regex`. */
  code: string;
  message: string;
  path: string;
  line?: number;
  column?: number;
}

export type PolicyPath = readonly (string | number)[];

/** Where a path sits in the text it came from. */
export type Locate = (path: PolicyPath) => { line: number; column: number } | undefined;

export interface PolicyYaml {
  /** The document as plain data (YAML 1.2 core schema); undefined when it could not be read. */
  value: unknown;
  locate: Locate;
  diagnostics: PolicyDiagnostic[];
}

export function formatPolicyPath(path: PolicyPath): string {
  return path.reduce<string>((parent, key) => childPath(parent, key), '');
}

/** A policy file is a few kilobytes; a megabyte is a mistake (or an attack). */
const DEFAULT_POLICY_MAX_BYTES = 1024 * 1024;
/** Aliases expanded into data are bounded so an alias bomb is a diagnostic, not an out-of-memory. */
const MAX_ALIAS_COUNT = 1000;
const MAX_SYNTAX_ERRORS = 10;

/** Reads a policy file: plain data, a way to locate any path in the text, and what kept it from being read. */
export function readPolicyYaml(text: string, options: { maxBytes?: number } = {}): PolicyYaml {
  const lineCounter = new LineCounter();
  const noLocation: Locate = () => undefined;
  const maxBytes = options.maxBytes ?? DEFAULT_POLICY_MAX_BYTES;
  if (exceedsBytes(text, maxBytes)) {
    return { value: undefined, locate: noLocation, diagnostics: [{ severity: 'error', code: 'input-too-large', message: `the policy is larger than ${maxBytes} bytes`, path: '' }] };
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(line, 1), column: Math.max(col, 1) };
  };
  if (doc.errors.length > 0) {
    const diagnostics = doc.errors.slice(0, MAX_SYNTAX_ERRORS).map((error): PolicyDiagnostic => {
      const message = error.code === 'DUPLICATE_KEY' ? 'a key is set twice' : (error.message.split('\n')[0] ?? error.message);
      return { severity: 'error', code: 'yaml-syntax', message, path: '', ...at(error.pos[0]) };
    });
    return { value: undefined, locate: noLocation, diagnostics };
  }
  const locate: Locate = (path) => {
    const node = nearestNode(doc, path);
    return node?.range ? at(node.range[0]) : undefined;
  };
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), locate, diagnostics: [] };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
    return { value: undefined, locate: noLocation, diagnostics: [{ severity: 'error', code: 'excessive-aliasing', message, path: '', line: 1, column: 1 }] };
  }
}

/** The node at `path`, or its closest existing parent (a missing key is reported where it belongs). */
function nearestNode(doc: Document.Parsed, path: PolicyPath): { range?: [number, number, number] | null } | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node: unknown = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true);
    if (isNode(node)) return node;
  }
  return undefined;
}

/**
 * Collects diagnostics while a policy is checked as data: readers for the usual value kinds, each
 * reporting at its path, and `finish` adding positions when the data came from YAML.
 */
export class PolicyChecker {
  private readonly items: { diagnostic: PolicyDiagnostic; path: PolicyPath }[] = [];

  report(severity: PolicyDiagnostic['severity'], code: string, message: string, path: PolicyPath): void {
    this.items.push({ diagnostic: { severity, code, message, path: formatPolicyPath(path) }, path });
  }

  error(code: string, message: string, path: PolicyPath): undefined {
    this.report('error', code, message, path);
    return undefined;
  }

  get errorCount(): number {
    return this.items.filter((item) => item.diagnostic.severity === 'error').length;
  }

  /** A mapping with only `allowed` keys (unknown ones warn, with a did-you-mean); undefined (reported) otherwise. */
  object(value: unknown, path: PolicyPath, allowed: readonly string[]): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.error('invalid-type', `expected a mapping, got ${describe(value)}`, path);
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.report('warning', 'unknown-key', `unknown key "${key}" is ignored${suggestion(key, allowed)}`, [...path, key]);
    }
    return value as Record<string, unknown>;
  }

  string(value: unknown, path: PolicyPath, options: { nonEmpty?: boolean } = {}): string | undefined {
    if (typeof value !== 'string') return this.error('invalid-type', `expected a string, got ${describe(value)}`, path);
    if (options.nonEmpty && value.trim() === '') return this.error('invalid-value', 'must not be empty', path);
    return value;
  }

  /** A list of strings; a single string is read as a list of one. */
  strings(value: unknown, path: PolicyPath): string[] | undefined {
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list)) return this.error('invalid-type', `expected a list of strings, got ${describe(value)}`, path);
    const strings = list.map((item, index) => this.string(item, [...path, index], { nonEmpty: true }));
    return strings.every((item): item is string => item !== undefined) ? strings : undefined;
  }

  boolean(value: unknown, path: PolicyPath): boolean | undefined {
    return typeof value === 'boolean' ? value : this.error('invalid-type', `expected true or false, got ${describe(value)}`, path);
  }

  integer(value: unknown, path: PolicyPath, range: { min: number; max?: number }): number | undefined {
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.error('invalid-type', `expected an integer, got ${describe(value)}`, path);
    if (value < range.min || (range.max !== undefined && value > range.max)) {
      return this.error('out-of-range', `must be ${range.max === undefined ? `at least ${range.min}` : `between ${range.min} and ${range.max}`} (got ${value})`, path);
    }
    return value;
  }

  /** One of `choices`, with a did-you-mean. */
  choice<T extends string>(value: unknown, path: PolicyPath, choices: readonly T[]): T | undefined {
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
    const hint = typeof value === 'string' ? suggestion(value, choices) : '';
    return this.error('invalid-value', `expected one of ${choices.map((choice) => JSON.stringify(choice)).join(', ')}, got ${describe(value)}${hint}`, path);
  }

  /**
   * A Go duration (`90s`, `1h30m`) of at least `minMs`, in milliseconds; bare numbers are refused
   * (they would be nanoseconds). Policies speak of days (`notPulledFor: 30d`, as ECR and Harbor do),
   * which Go's grammar lacks, so a leading whole number of days is accepted before the Go part (`30d`, `1d12h`).
   */
  duration(value: unknown, path: PolicyPath, minMs = 0): number | undefined {
    if (typeof value !== 'string') return this.error('invalid-duration', `expected a duration such as 30s, 15m or 1h, got ${describe(value)}`, path);
    let nanoseconds: bigint;
    try {
      nanoseconds = parsePolicyDuration(value);
    } catch (error) {
      if (!(error instanceof GoDurationError)) throw error;
      return this.error('invalid-duration', error.message, path);
    }
    const ms = Number(nanoseconds / MILLISECOND);
    if (ms < minMs) return this.error('out-of-range', `must be at least ${minMs} ms (got ${value})`, path);
    return ms;
  }

  /** Every diagnostic, with line and column when `locate` knows the text. */
  finish(locate?: Locate): PolicyDiagnostic[] {
    return this.items.map(({ diagnostic, path }) => {
      const position = locate?.(path);
      return position ? { ...diagnostic, ...position } : diagnostic;
    });
  }
}

const DAYS = /^(\d{1,6})d((?:\d.*)?)$/;
const NANOSECONDS_PER_DAY = 86_400_000_000_000n;

function parsePolicyDuration(text: string): bigint {
  const days = DAYS.exec(text);
  if (!days) return parseGoDuration(text);
  const rest = days[2] ?? '';
  return BigInt(days[1] ?? '0') * NANOSECONDS_PER_DAY + (rest === '' ? 0n : parseGoDuration(rest));
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
