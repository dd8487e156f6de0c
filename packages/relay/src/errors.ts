/** Options that cannot work: thrown at construction, never at delivery time. */
export class RelayConfigError extends Error {
  override name = 'RelayConfigError';
}

/** The log did not confirm an append (or a read) in time, or refused it: the caller may retry. */
export class LogUnavailableError extends Error {
  override name = 'LogUnavailableError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** A stored record that is not what the relay wrote (another writer, or a corrupted stream). */
export class InvalidRecordError extends Error {
  override name = 'InvalidRecordError';
}
