/** Options or a call that cannot work (a queue asked to do what its connection is not for): thrown before anything is sent to Redis. */
export class ReplicationConfigError extends Error {
  override readonly name = 'ReplicationConfigError';
}

/** A call on a lane, or a queue, already closed (or closed while the call waited for Redis): it neither sent nor started anything more. */
export class LaneClosedError extends Error {
  override readonly name = 'LaneClosedError';
}
