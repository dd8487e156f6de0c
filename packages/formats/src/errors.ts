import type { Issue } from '@regevents/types';

/**
 * One problem found in a body: the shared `Issue` shape (`@regevents/schemas`' `ValidationIssue`
 * too), its path into the value (`event_data.resources[0].digest`) or a word in parentheses for
 * the whole: `(body)`, `(root)`, `(time)`.
 */
export type FormatIssue = Issue;

/** Base class of every error this package throws on bad input. */
export class RegEventsFormatError extends Error {
  readonly issues: readonly FormatIssue[];

  constructor(message: string, issues: readonly FormatIssue[], options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.issues = issues;
  }
}

/** The body is not JSON, too large, or matches no format regevents knows (or none of those allowed). */
export class UnrecognizedFormatError extends RegEventsFormatError {}

/** The body was recognised as `format` but does not validate against its schema. */
export class InvalidPayloadError extends RegEventsFormatError {
  readonly format: string;

  constructor(format: string, issues: readonly FormatIssue[]) {
    super(`not a valid ${format} payload: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`, issues);
    this.format = format;
  }
}

/** A value nested deeper than the call stack lets a canonical form (and so a derived id) be written. */
export class NestingTooDeepError extends RegEventsFormatError {}

/** A Knative Trigger filter that is malformed: an empty entry, or a `cesql` expression that does not parse (the `CesqlParseError` is its `cause`). */
export class UnsupportedFilterError extends RegEventsFormatError {}

/** A CloudEvent (or its HTTP message) that is not well-formed CloudEvents 1.0. */
export class InvalidCloudEventError extends RegEventsFormatError {}
