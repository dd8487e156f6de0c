import type { EventAction, Issue } from '@regevents/types';

/**
 * Which registry reads the config. `'2.8'` is distribution 2.8.x (Debian's docker-registry),
 * `'3.0'` is 3.0.x, `'3.1'` is 3.1 and later; `'3'` means the current 3.x (same as `'3.1'`).
 * They differ in two ways: 2.x cannot address list items through environment variables, and
 * before 3.1 `ignore.actions` only works when some media type is ignored too.
 */
export type RegistryVersion = '2.8' | '3.0' | '3.1' | '3';

/** One `notifications.endpoints[]` entry, with the registry's defaults applied. */
export interface EndpointConfig {
  name: string;
  disabled: boolean;
  url: string;
  /** Header name -> values, added verbatim to every POST. */
  headers: Record<string, string[]>;
  /** HTTP timeout in milliseconds (may be fractional: `timeout: 500` is 0.0005 ms). */
  timeoutMs: number;
  /** Failed attempts sent back to back before the endpoint backs off. */
  threshold: number;
  /** Wait between attempts once `threshold` is reached, in milliseconds. */
  backoffMs: number;
  ignore: {
    /** `ignore.mediatypes` followed by the legacy `ignoredmediatypes`, in the registry's order. */
    mediaTypes: string[];
    /** Only known actions; unknown ones are reported and can never match an event. */
    actions: EventAction[];
  };
}

/** The registry's `notifications:` block. */
export interface NotificationsConfig {
  events: { includeReferences: boolean };
  endpoints: EndpointConfig[];
}

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/** Every diagnostic code; the README explains each one. */
export type DiagnosticCode =
  // errors: the registry refuses the config, or an endpoint cannot work as written
  | 'input-too-large'
  | 'yaml-syntax'
  | 'excessive-aliasing'
  | 'invalid-type'
  | 'unsupported-config-version'
  | 'missing-name'
  | 'missing-url'
  | 'duplicate-name'
  | 'invalid-url'
  | 'header-not-list'
  | 'invalid-duration'
  | 'unknown-action'
  | 'invalid-env'
  // warnings: accepted by the registry, almost certainly not what was meant
  | 'missing-config-version'
  | 'unknown-key'
  | 'duplicate-key'
  | 'duplicate-header'
  | 'multiple-documents'
  | 'duration-without-unit'
  | 'authorization-over-http'
  | 'debug-vars-expose-headers'
  | 'ignores-all-blobs'
  | 'ignore-actions-inert'
  | 'all-endpoints-disabled'
  | 'ignored-env'
  // info
  | 'default-applied'
  | 'no-endpoints';

/** The shared issue shape (`path`, `message`), with what a config problem adds: a code, a severity and a position. */
export interface ConfigDiagnostic extends Issue {
  severity: DiagnosticSeverity;
  code: DiagnosticCode;
  /** Where in the config, e.g. `notifications.endpoints[0].timeout`; `''` for the whole document. */
  path: string;
  /** 1-based position in the config text, or in the environment variable named by `source`. */
  line: number;
  column: number;
  /** Set when the value came from an environment variable: its name. */
  source?: string;
}

export interface ParseRegistryConfigOptions {
  /** Environment variables applied the way the registry applies `REGISTRY_*` overrides. */
  env?: Record<string, string | undefined>;
  /** Default `'2.8'`. */
  version?: RegistryVersion;
  /** Larger inputs are refused with `input-too-large` before parsing. Default 1 MiB. */
  maxBytes?: number;
}

export interface ParsedRegistryConfig {
  notifications: NotificationsConfig;
  diagnostics: ConfigDiagnostic[];
  /** The diagnostics of severity `error`, in the same order: what the registry would refuse. Empty when the config is usable. */
  errors: ConfigDiagnostic[];
}
