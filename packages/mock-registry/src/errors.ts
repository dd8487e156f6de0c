import { goEncode } from './go-json.js';

/** The registry's error codes (OCI distribution spec plus distribution's own), with their HTTP status and message. */
export const ERROR_CODES = {
  BLOB_UNKNOWN: { status: 404, message: 'blob unknown to registry' },
  BLOB_UPLOAD_INVALID: { status: 404, message: 'blob upload invalid' },
  BLOB_UPLOAD_UNKNOWN: { status: 404, message: 'blob upload unknown to registry' },
  DIGEST_INVALID: { status: 400, message: 'provided digest did not match uploaded content' },
  MANIFEST_BLOB_UNKNOWN: { status: 400, message: 'blob unknown to registry' },
  MANIFEST_INVALID: { status: 400, message: 'manifest invalid' },
  MANIFEST_UNKNOWN: { status: 404, message: 'manifest unknown' },
  NAME_INVALID: { status: 400, message: 'invalid repository name' },
  NAME_UNKNOWN: { status: 404, message: 'repository name not known to registry' },
  SIZE_INVALID: { status: 400, message: 'provided length did not match content length' },
  PAGINATION_NUMBER_INVALID: { status: 400, message: 'invalid number of results requested' },
  RANGE_INVALID: { status: 416, message: 'invalid content range' },
  UNAUTHORIZED: { status: 401, message: 'authentication required' },
  DENIED: { status: 403, message: 'requested access to the resource is denied' },
  TAG_INVALID: { status: 400, message: 'manifest tag did not match URI' },
  UNSUPPORTED: { status: 405, message: 'The operation is unsupported.' },
  TOOMANYREQUESTS: { status: 429, message: 'too many requests' },
  UNAVAILABLE: { status: 503, message: 'service unavailable' },
  UNKNOWN: { status: 500, message: 'unknown error' },
} as const;

export type RegistryErrorCode = keyof typeof ERROR_CODES;

export interface RegistryErrorOptions {
  /** Omitted from the body when undefined, as the registry does. */
  detail?: unknown;
  message?: string;
  /** Overrides the code's usual status (the registry answers 404 for some BLOB_UPLOAD_INVALID). */
  status?: number;
  headers?: HeadersInit;
}

/** Thrown inside handlers; the router turns it into the spec's `{"errors":[...]}` response. */
export class RegistryError extends Error {
  readonly code: RegistryErrorCode;
  readonly detail: unknown;
  readonly status: number;
  readonly headers: HeadersInit | undefined;

  constructor(code: RegistryErrorCode, options: RegistryErrorOptions = {}) {
    super(options.message ?? ERROR_CODES[code].message);
    this.name = 'RegistryError';
    this.code = code;
    this.detail = options.detail;
    this.status = options.status ?? ERROR_CODES[code].status;
    this.headers = options.headers;
  }

  /** The error body; `contentType` is the flavor's JSON type (2.8 adds a charset, 3.x does not). */
  toResponse(extraHeaders: HeadersInit = {}, contentType = 'application/json; charset=utf-8'): Response {
    const entry: Record<string, unknown> = { code: this.code, message: this.message };
    if (this.detail !== undefined) entry.detail = this.detail;
    const headers = new Headers(extraHeaders);
    for (const [name, value] of new Headers(this.headers)) headers.set(name, value);
    headers.set('Content-Type', contentType);
    return new Response(goEncode({ errors: [entry] }), { status: this.status, headers });
  }
}
