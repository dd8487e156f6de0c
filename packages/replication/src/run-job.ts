import { InvalidReferenceError, RegistryError, sleep, UnsupportedError, type CopyProgress, type RegistryClient } from '@regevents/registry-client';
import type { ReplicationPolicy, ReplicationTarget } from './policy.js';
import { PermanentJobError, type JobResult, type ReplicationJobData } from './queue.js';
import { targetRepository } from './repository.js';

export interface JobContext {
  policy: ReplicationPolicy;
  target: ReplicationTarget;
  source: RegistryClient;
  destination: RegistryClient;
  signal: AbortSignal;
  onProgress?: (progress: CopyProgress) => void;
}

const isNotFound = (error: unknown) => error instanceof RegistryError && error.status === 404;

/**
 * How long after a push its tag may still be missing on the source. docker-registry sends the push
 * event once the manifest is stored and only then links the tag (two more files, each fsynced): on
 * a busy disk a job can ask for the tag before it is there.
 */
const TAG_LINK_GRACE_MS = 10_000;

/** The wait's pauses double from the first to the longest. */
const FIRST_PAUSE_MS = 50;
const LONGEST_PAUSE_MS = 1000;

/**
 * The grace runs from the push event's timestamp (from the job's creation for a job enqueued without
 * one), so a job for a push long ago (a backlog caught up) does not wait, and from now at the latest,
 * so a clock ahead of this host's does not stretch it (one behind shortens it: the registry's and
 * this host's clocks should agree well within the grace). An unreadable time gives NaN: no wait.
 */
const tagLinkDeadline = (data: ReplicationJobData) => Math.min(Date.parse(data.pushedAt ?? data.createdAt), Date.now()) + TAG_LINK_GRACE_MS;

/**
 * The source's manifest for `reference`. A tag its push event named that is missing while the
 * pushed manifest is there is one the registry has not linked yet: it is asked for again, with
 * growing pauses, until the tag link deadline; missing then, it was removed. The pushed manifest is
 * asked for once, before the first pause (each HEAD is a pull in the registry's notifications):
 * gone then, there is nothing to wait for; gone later, the tag is missing at the deadline all the same.
 */
async function sourceManifest(context: JobContext, data: ReplicationJobData, reference: string) {
  const { source, signal } = context;
  const current = await source.headManifest(data.repository, reference, { signal });
  if (current || data.tag === undefined || data.pushedDigest === undefined) return current;
  const deadline = tagLinkDeadline(data);
  // written so that a NaN deadline ends the wait
  const waits = () => Date.now() < deadline;
  if (!waits() || !(await source.headManifest(data.repository, data.pushedDigest, { signal }))) return undefined;
  for (let pause = FIRST_PAUSE_MS; waits(); pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
    // the last pause is what is left, so the last HEAD is at the deadline
    await sleep(Math.min(pause, deadline - Date.now()), signal);
    const linked = await source.headManifest(data.repository, reference, { signal });
    if (linked) return linked;
  }
  return undefined;
}

/**
 * Copies a tag as the source has it now (not as the event saw it: a later push or delete wins,
 * so jobs that run out of order still converge). Nothing is written when the target already
 * has the same digest, or has another one and the policy does not overwrite.
 */
async function copyTag(context: JobContext, data: ReplicationJobData): Promise<JobResult> {
  const { source, destination, target, policy, signal } = context;
  const reference = data.tag ?? data.digest;
  if (!reference) throw new PermanentJobError('a copy job names a tag or a digest');
  const repository = targetRepository(target, data.repository);
  const current = await sourceManifest(context, data, reference);
  if (!current) return { outcome: 'source-gone' };
  const existing = await destination.headManifest(repository, reference, { signal });
  // with `platforms` the target holds a rewritten index, whose digest never equals the source's
  if (existing?.digest === current.digest) return { outcome: 'up-to-date', digest: current.digest };
  if (existing && data.tag && !policy.overwrite) return { outcome: 'kept', digest: existing.digest };
  const copied = await source.copy(
    { repository: data.repository, reference: current.digest },
    { client: destination, repository, reference },
    { signal, ...(target.platforms ? { platforms: target.platforms } : {}), ...(context.onProgress ? { onProgress: context.onProgress } : {}) },
  );
  return { outcome: 'copied', digest: copied.digest, blobs: copied.blobs, bytesUploaded: copied.bytesUploaded };
}

/** Deletes on the target what the source no longer has; what the source has again is left alone. */
async function deleteOnTarget(context: JobContext, data: ReplicationJobData): Promise<JobResult> {
  const { source, destination, target, signal } = context;
  const repository = targetRepository(target, data.repository);
  const reference = data.tag ?? data.digest;
  if (!reference) throw new PermanentJobError('a delete job names a tag or a digest');
  if (await source.headManifest(data.repository, reference, { signal })) return { outcome: 'kept' };
  const existing = await destination.headManifest(repository, reference, { signal });
  if (!existing) return { outcome: 'already-gone' };
  if (data.tag) {
    try {
      await destination.deleteTag(repository, data.tag, { signal });
      return { outcome: 'deleted', digest: existing.digest };
    } catch (error) {
      // distribution 2.8 deletes tags only through their manifest
      if (!(error instanceof UnsupportedError)) throw error;
    }
  }
  try {
    await destination.deleteManifest(repository, existing.digest, { signal });
  } catch (error) {
    if (isNotFound(error)) return { outcome: 'already-gone' };
    throw error;
  }
  return { outcome: 'deleted', digest: existing.digest };
}

/** Runs one job; errors another attempt cannot fix become `PermanentJobError`. */
export async function runJob(context: JobContext, data: ReplicationJobData): Promise<JobResult> {
  try {
    return data.action === 'copy' ? await copyTag(context, data) : await deleteOnTarget(context, data);
  } catch (error) {
    if (context.signal.aborted) throw new PermanentJobError('stopped');
    if (error instanceof InvalidReferenceError) throw new PermanentJobError(error.message);
    throw error;
  }
}
