import type { Document, LineCounter } from 'yaml';
import type { ConfigDiagnostic, DiagnosticCode, DiagnosticSeverity } from './types.js';

/** One code, one severity: consumers may filter on either. The README table mirrors this. */
export const DIAGNOSTIC_SEVERITY: Readonly<Record<DiagnosticCode, DiagnosticSeverity>> = {
  'input-too-large': 'error',
  'yaml-syntax': 'error',
  'excessive-aliasing': 'error',
  'invalid-type': 'error',
  'unsupported-config-version': 'error',
  'missing-name': 'error',
  'missing-url': 'error',
  'duplicate-name': 'error',
  'invalid-url': 'error',
  'header-not-list': 'error',
  'invalid-duration': 'error',
  'unknown-action': 'error',
  'invalid-env': 'error',
  'missing-config-version': 'warning',
  'unknown-key': 'warning',
  'duplicate-key': 'warning',
  'duplicate-header': 'warning',
  'multiple-documents': 'warning',
  'duration-without-unit': 'warning',
  'authorization-over-http': 'warning',
  'debug-vars-expose-headers': 'warning',
  'ignores-all-blobs': 'warning',
  'ignore-actions-inert': 'warning',
  'all-endpoints-disabled': 'warning',
  'ignored-env': 'warning',
  'default-applied': 'info',
  'no-endpoints': 'info',
};

/** A parsed YAML text: the config file, or the value of one environment variable. */
export interface YamlSource {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The environment variable the text came from; undefined for the config file. */
  env?: string;
}

/** Where a value sits: its text, its offset in that text, and its config path. */
export interface Origin {
  source: Pick<YamlSource, 'lineCounter' | 'env'>;
  offset: number;
  path: string;
}

export class DiagnosticList {
  readonly items: ConfigDiagnostic[] = [];

  add(code: DiagnosticCode, message: string, at: Origin): void {
    const { line, col } = at.source.lineCounter.linePos(at.offset);
    // a LineCounter that never saw a newline (an environment variable's name) reports line 0
    const diagnostic: ConfigDiagnostic = { severity: DIAGNOSTIC_SEVERITY[code], code, message, path: at.path, line: Math.max(line, 1), column: Math.max(col, 1) };
    if (at.source.env !== undefined) diagnostic.source = at.source.env;
    this.items.push(diagnostic);
  }

  /** Config-file diagnostics in text order, then each environment variable's in name order. */
  sorted(): ConfigDiagnostic[] {
    const sourceKey = (item: ConfigDiagnostic) => item.source ?? '';
    return [...this.items].sort((a, b) => (sourceKey(a) < sourceKey(b) ? -1 : sourceKey(a) > sourceKey(b) ? 1 : a.line - b.line || a.column - b.column));
  }
}

/** `a.b`, `a[0]`, and `a["odd key"]` for keys that are not plain words. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_][\w-]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}
