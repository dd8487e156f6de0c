/**
 * Every error the client throws extends `RegistryClientError`, so callers can tell the client's
 * failures from their own. Messages name the method and path, never a credential or token.
 */
export class RegistryClientError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One entry of a registry's `{"errors":[...]}` body. */
export interface RegistryErrorEntry {
  code: string;
  message?: string;
  detail?: unknown;
}

/** The registry answered with a status the operation does not accept. */
export class RegistryError extends RegistryClientError {
  readonly status: number;
  /** The first error code of the body (`MANIFEST_UNKNOWN`, `UNAUTHORIZED`...), or `UNKNOWN` without a registry body. */
  readonly code: string;
  readonly detail: unknown;
  readonly errors: RegistryErrorEntry[];
  readonly method: string;
  /** Path and query of the request (no host, no credentials). */
  readonly path: string;

  constructor(init: { status: number; method: string; path: string; errors: RegistryErrorEntry[]; text?: string }) {
    const first = init.errors[0];
    const said = first ? `${first.code}${first.message ? `: ${first.message}` : ''}` : (init.text ?? '').trim().slice(0, 200);
    super(`${init.method} ${init.path}: registry answered ${init.status}${said ? ` ${said}` : ''}`);
    this.status = init.status;
    this.code = first?.code ?? 'UNKNOWN';
    this.detail = first?.detail;
    this.errors = init.errors;
    this.method = init.method;
    this.path = init.path;
  }
}

/** The registry does not offer the operation (e.g. tag DELETE on distribution 2.8, or deletes disabled). */
export class UnsupportedError extends RegistryClientError {
  readonly operation: string;
  readonly status: number | undefined;

  constructor(operation: string, reason: string, status?: number) {
    super(`${operation} is not supported: ${reason}`);
    this.operation = operation;
    this.status = status;
  }
}

/** Content that does not match what it claims: a digest or a size. */
export class IntegrityError extends RegistryClientError {
  readonly expected: string;
  readonly actual: string;

  constructor(what: string, expected: string, actual: string) {
    super(`${what}: expected ${expected}, got ${actual}`);
    this.expected = expected;
    this.actual = actual;
  }
}

/** A bound the client keeps so a hostile or broken server cannot make it hang or grow without end. */
export class LimitError extends RegistryClientError {
  readonly limit: string;

  constructor(limit: string, message: string) {
    super(message);
    this.limit = limit;
  }
}

/** The connection failed or broke (refused, reset, closed early); the request may be retried. */
export class ConnectionError extends RegistryClientError {}

/** No response, or no body bytes, within the client's `timeoutMs`. */
export class TimeoutError extends RegistryClientError {
  readonly timeoutMs: number;

  constructor(what: string, timeoutMs: number) {
    super(`${what}: nothing received for ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** The token endpoint refused or failed to give a token. */
export class AuthenticationError extends RegistryClientError {
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/** A manifest the client refuses to handle (schema 1, not JSON, unknown media type). */
export class ManifestError extends RegistryClientError {}

/** A reference (`registry/name:tag@digest`), repository name, tag or digest outside the distribution grammar. */
export class InvalidReferenceError extends RegistryClientError {
  readonly input: string;

  constructor(input: string, reason: string) {
    super(`invalid reference "${input.slice(0, 300)}": ${reason}`);
    this.input = input;
  }
}
