/** Exit codes: 0 success, 1 the check failed (invalid payload, lint errors, delivery failed), 2 bad usage or input, 3 the registry refused the credentials (or wants some), 130 a check (`demo --once`) cut short by Ctrl-C or SIGTERM. */
export const EXIT = { ok: 0, failed: 1, usage: 2, unauthorized: 3, interrupted: 130 } as const;

/** An error the CLI reports as one line, without a stack (unless --debug). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

/** An error's message, for one line of output; what is thrown need not be an Error. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const explanations = new WeakMap<object, CliError>();

/** Says what a library's error means to the user (node-redis's socket timeout: which Redis stopped answering), for the command's one line. */
export function explainWith(error: object, explanation: CliError): void {
  explanations.set(error, explanation);
}

/**
 * Says what every error of a library's class means, for a class whose errors are made anew at each
 * call (node-redis's "The client is offline"). Keyed by the class, so a later explanation replaces
 * an earlier one instead of piling up.
 */
export function explainEvery(kind: abstract new (...args: never[]) => Error, explanation: CliError): void {
  explanations.set(kind.prototype as object, explanation);
}

/** What the command reports for `error`: its explanation (or its cause's, or its class's) when one was given, else the error itself. */
export function explained(error: unknown): unknown {
  for (let cause = error; typeof cause === 'object' && cause !== null; cause = (cause as { cause?: unknown }).cause) {
    const explanation = explanations.get(cause) ?? explanations.get(Object.getPrototypeOf(cause) as object);
    if (explanation) return explanation;
  }
  return error;
}
