/** Every error of this package. */
export class RetentionError extends Error {
  override name = 'RetentionError';
}

/** Options that cannot work (a missing client, a bad number). */
export class RetentionConfigError extends RetentionError {
  override name = 'RetentionConfigError';
}

/** A usage store update that kept losing to concurrent writers. */
export class UsageConflictError extends RetentionError {
  override name = 'UsageConflictError';
}
