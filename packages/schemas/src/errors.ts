import type { ValidationIssue } from './issues.js';

/** Thrown by `parseEnvelope` when a body is not a valid notification envelope. */
export class RegEventsValidationError extends Error {
  override readonly name = 'RegEventsValidationError';
  /** Every failure found, each with its path. */
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], subject = 'registry notification') {
    const [first, ...rest] = issues;
    const summary = first ? `${first.path}: ${first.message}` : 'invalid';
    super(`Invalid ${subject}: ${summary}${rest.length > 0 ? ` (and ${rest.length} more)` : ''}`);
    this.issues = issues;
  }
}
