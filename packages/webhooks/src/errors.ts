import type { FormatId } from '@regevents/formats';

/**
 * A handler was created with options that cannot work (an empty token, a malformed CIDR...).
 * Messages name the option, never its value. A sender's credentials refused against `formats`
 * also say so in fields, for a program that words the refusal in its own terms (a CLI's flags):
 * `option` is the credentials' option (`auth.harbor`), `formats` the formats listed that need it,
 * or, when none is listed, the formats it would serve.
 */
export class WebhookConfigError extends TypeError {
  override readonly name = 'WebhookConfigError';
  readonly option?: string;
  readonly formats?: readonly FormatId[];

  constructor(message: string, refused?: { option: string; formats: readonly FormatId[] }) {
    super(message);
    this.option = refused?.option;
    this.formats = refused?.formats;
  }
}

/** The body grew past the configured limit while it was being read. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`);
  }
}

/**
 * `.node(req, res)` received a request whose body a JSON body parser (such as `express.json()`)
 * already consumed. The raw bytes are gone, so signatures cannot be checked and the event cannot be
 * parsed faithfully: mount the webhook route before the body parser, or use `express.raw()`.
 */
export class RawBodyUnavailableError extends Error {
  override readonly name = 'RawBodyUnavailableError';
  constructor() {
    super(
      'The request body was already parsed by a body parser (for example express.json()) before the webhook handler ran. ' +
        'The handler needs the raw bytes: register the webhook route before the JSON body parser, exclude it from the parser, ' +
        'or use express.raw({ type: "*/*" }) on that route.',
    );
  }
}

/** A handler for an event threw; `cause` is what it threw. */
export class HandlerFailedError extends Error {
  override readonly name = 'HandlerFailedError';
  constructor(
    readonly eventId: string | undefined,
    cause: unknown,
  ) {
    super(`a handler failed for event ${eventId ?? '(without id)'}`, { cause });
  }
}
