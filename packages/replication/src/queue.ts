/**
 * What the replicator needs from a job queue: one lane per (policy, target), each with its own
 * concurrency, rate limit, attempts and exponential backoff. `createBullMqQueue` (in `./node`)
 * keeps lanes in Redis, shared by every worker process; `createMemoryQueue` keeps them in this
 * process (a demo, tests, a single replicator that may forget its jobs on exit).
 */

/** One unit of replication: a tag (or digest) of one repository, copied to or deleted on one target. */
export interface ReplicationJobData {
  policy: string;
  target: string;
  action: 'copy' | 'delete';
  /** The source repository. */
  repository: string;
  tag?: string;
  digest?: string;
  /** For a copy caused by a push by tag: the manifest the push stored (the source may not have linked the tag to it yet). */
  pushedDigest?: string;
  /** With `pushedDigest`: when the registry sent the push event (its timestamp, RFC 3339). */
  pushedAt?: string;
  cause: 'event' | 'catch-up' | 'manual';
  /** The registry event that caused the job. */
  eventId?: string;
  /** When the job was created (ISO 8601). */
  createdAt: string;
}

/** What a finished job did. */
export interface JobResult {
  outcome: 'copied' | 'up-to-date' | 'kept' | 'deleted' | 'already-gone' | 'source-gone';
  digest?: string;
  blobs?: { uploaded: number; mounted: number; skipped: number };
  bytesUploaded?: number;
}

export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';

export interface JobView {
  id: string;
  lane: string;
  data: ReplicationJobData;
  state: JobState;
  /** Failed attempts so far. */
  failures: number;
  maxAttempts: number;
  error?: string;
  result?: JobResult;
}

/** A job being worked on. */
export interface JobRun {
  id: string;
  data: ReplicationJobData;
  /** 1 for the first try, 2 for the first retry… (a run cut short by a dead worker is not counted). */
  attempt: number;
  maxAttempts: number;
  /** Aborted when the job is stopped or the worker closes. */
  signal: AbortSignal;
}

export interface LaneOptions {
  /** Jobs of this lane in flight at once, across every worker. */
  concurrency: number;
  rateLimit?: { max: number; perMs: number };
  attempts: number;
  /** First retry delay; each retry waits twice as long as the one before. */
  backoffMs: number;
}

export type JobHandler = (run: JobRun) => Promise<JobResult>;

export interface JobLane {
  readonly name: string;
  /** Adds a job unless one with this id exists; resolves to whether it was added. */
  add(id: string, data: ReplicationJobData): Promise<boolean>;
  /** Starts working on this lane's jobs in this process. */
  work(handler: JobHandler): Promise<void>;
  get(id: string): Promise<JobView | undefined>;
  list(): Promise<JobView[]>;
  /** Runs a failed job again (its attempts start over); false when it is not failed. */
  retry(id: string): Promise<boolean>;
  /** Removes waiting and delayed jobs that `match`, and aborts matching jobs running in this process; resolves to their ids. */
  cancel(match: (data: ReplicationJobData) => boolean): Promise<string[]>;
  /** Stops working (running jobs finish) and lets go of the lane's resources. */
  close(): Promise<void>;
}

export interface JobQueue {
  lane(name: string, options: LaneOptions): JobLane;
  close(): Promise<void>;
}

/** A failure that another attempt cannot fix (a stopped job, a refused reference): the job fails at once. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

/** Delay before retry `failures` (1 for the first retry): `backoffMs`, doubling. */
export function backoffDelay(backoffMs: number, failures: number): number {
  return backoffMs * 2 ** Math.max(0, failures - 1);
}
