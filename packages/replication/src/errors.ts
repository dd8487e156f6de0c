/** Options or a call that cannot work (a queue asked to do what its connection is not for): thrown before anything is sent to Redis. */
export class ReplicationConfigError extends Error {
  override readonly name = 'ReplicationConfigError';
}
