import { parseRegistryConfig, type ConfigDiagnostic, type RegistryVersion } from '@regevents/config';
import { EXIT } from '../cli-error.js';
import { readInput } from '../input.js';
import type { Colors, Io } from '../output.js';

export interface LintConfigOptions {
  version?: RegistryVersion;
  strict?: boolean;
  /** Apply this process's REGISTRY_* variables, as the registry would. */
  env?: boolean;
}

const SEVERITY_COLOR = { error: 'red', warning: 'yellow', info: 'dim' } as const;

function formatDiagnostic(file: string, diagnostic: ConfigDiagnostic, colors: Colors): string {
  const where = diagnostic.source ? `${diagnostic.source}:${diagnostic.line}:${diagnostic.column}` : `${file}:${diagnostic.line}:${diagnostic.column}`;
  const severity = colors[SEVERITY_COLOR[diagnostic.severity]](diagnostic.severity);
  return `${where} ${severity} ${diagnostic.code} ${diagnostic.message}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export async function lintConfigCommand(file: string, options: LintConfigOptions, io: Io): Promise<number> {
  const text = new TextDecoder().decode(await readInput(file, io));
  const name = file === '-' ? '<stdin>' : file;
  const env = options.env ? Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('REGISTRY_'))) : undefined;
  const { notifications, diagnostics, errors: errorList } = parseRegistryConfig(text, { version: options.version ?? '2.8', env });
  for (const diagnostic of diagnostics) io.out(formatDiagnostic(name, diagnostic, io.colors));
  const errors = errorList.length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const enabled = notifications.endpoints.filter((e) => !e.disabled).length;
  io.err(`${name}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}; ${plural(enabled, 'enabled endpoint')}`);
  return errors > 0 || (options.strict && warnings > 0) ? EXIT.failed : EXIT.ok;
}
