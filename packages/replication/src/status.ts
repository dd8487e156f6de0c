import { normalize, type NormalizedRegistryEvent } from '@regevents/formats';
import type { LogRecord, RelayLog } from '@regevents/relay';
import type { HarborPayloadOf, HarborReplication } from '@regevents/types';
import type { ReplicationPolicy, ReplicationTarget } from './policy.js';
import type { JobResult, ReplicationJobData } from './queue.js';
import { targetRepository } from './repository.js';

type HarborReplicationPayload = HarborPayloadOf<'REPLICATION'>;
type HarborArtifactInfo = NonNullable<HarborReplication['successful_artifact']>[number];

/** Harbor's task statuses, the ones a replication job goes through. */
export type ReplicationStatus = 'Pending' | 'Running' | 'Success' | 'Error' | 'Stopped';

/** One transition of one job. */
export interface StatusChange {
  jobId: string;
  status: ReplicationStatus;
  policy: ReplicationPolicy;
  target: ReplicationTarget;
  data: ReplicationJobData;
  /** The attempt this transition belongs to (0 for Pending). */
  attempt: number;
  maxAttempts: number;
  /** On Error: whether the job will be tried again. */
  willRetry?: boolean;
  result?: JobResult;
  error?: string;
  at: Date;
}

/** Where status changes go: the relay's log (`relayStatusSink`), a test's array, anything. */
export type StatusSink = (change: StatusChange) => Promise<void>;

const TRIGGER_TYPES = { event: 'EVENT_BASED', 'catch-up': 'SCHEDULED', manual: 'MANUAL' } as const;

function artifactOf(change: StatusChange, status: string): HarborArtifactInfo {
  const { repository, tag, digest } = change.data;
  const reference = tag ?? digest ?? '';
  const artifact: HarborArtifactInfo = { type: 'image', status, name_tag: tag ? `${repository}:${tag}` : `${repository}@${reference}`, references: [reference] };
  if (change.error) artifact.fail_reason = change.error;
  return artifact;
}

function customAttributes(change: StatusChange): Record<string, string> {
  const attributes: Record<string, string> = {
    policy: change.policy.name,
    target: change.target.name,
    job_id: change.jobId,
    action: change.data.action,
    repository: change.data.repository,
    attempt: String(change.attempt),
    max_attempts: String(change.maxAttempts),
  };
  if (change.willRetry !== undefined) attributes.will_retry = String(change.willRetry);
  if (change.result) attributes.outcome = change.result.outcome;
  if (change.result?.digest) attributes.digest = change.result.digest;
  if (change.result?.blobs) attributes.blobs_uploaded = String(change.result.blobs.uploaded);
  if (change.result?.bytesUploaded !== undefined) attributes.bytes_uploaded = String(change.result.bytesUploaded);
  if (change.data.eventId) attributes.event_id = change.data.eventId;
  return attributes;
}

/** The transition as Harbor's REPLICATION webhook payload (Default format). */
export function harborReplicationPayload(change: StatusChange): HarborReplicationPayload {
  const { policy, target } = change;
  const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
  return {
    type: 'REPLICATION',
    occur_at: seconds(change.at),
    operator: TRIGGER_TYPES[change.data.cause],
    event_data: {
      replication: {
        job_status: change.status,
        description: policy.name,
        artifact_type: 'image',
        authentication_type: target.credentials ? 'basic' : 'anonymous',
        override_mode: policy.overwrite,
        trigger_type: TRIGGER_TYPES[change.data.cause],
        policy_creator: 'regevents-replication',
        execution_timestamp: seconds(new Date(change.data.createdAt)),
        src_resource: { registry_name: 'source', registry_type: 'docker-registry', endpoint: policy.source.registry, namespace: change.data.repository },
        dest_resource: { registry_name: target.name, registry_type: 'docker-registry', endpoint: target.registry, namespace: targetRepository(target, change.data.repository) },
        ...(change.status === 'Success' ? { successful_artifact: [artifactOf(change, 'Success')] } : {}),
        ...(change.status === 'Error' ? { failed_artifact: [artifactOf(change, 'Error')] } : {}),
      },
      custom_attributes: customAttributes(change),
    },
  };
}

/** The transition as the relay logs a Harbor event: validated and normalized by `@regevents/formats`. */
export async function statusRecord(change: StatusChange): Promise<LogRecord> {
  const [event] = (await normalize(harborReplicationPayload(change), undefined, { formats: ['harbor'] })) as [NormalizedRegistryEvent];
  return { key: `harbor:${event.id}`, format: 'harbor', repository: event.repository, receivedAt: change.at.toISOString(), event };
}

/** Appends every transition to the relay's log, where the `formats` and `webhooks` consumers read them. */
export function relayStatusSink(log: RelayLog): StatusSink {
  return async (change) => {
    await log.append(await statusRecord(change));
  };
}
