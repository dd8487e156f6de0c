export { checkPolicies, readPolicyFile, type CheckedPolicies, type RegistryCredentials, type RegistryEndpoint, type ReplicationPolicy, type ReplicationTarget, type ReplicationTrigger } from './policy.js';
export { createReplicator, type Replicator, type ReplicatorOptions } from './replicator.js';
export { createMemoryQueue } from './memory-queue.js';
export { backoffDelay, PermanentJobError, type JobHandler, type JobLane, type JobQueue, type JobResult, type JobRun, type JobState, type JobView, type LaneOptions, type ReplicationJobData } from './queue.js';
export { harborReplicationPayload, relayStatusSink, statusRecord, type ReplicationStatus, type StatusChange, type StatusSink } from './status.js';
export { isReplicationRequest, REPLICATION_USER_AGENT, type ClientSettings } from './clients.js';
export { findMissingTags, type CompareOptions, type MissingTag } from './catch-up.js';
export { targetRepository } from './repository.js';
export type { PolicyDiagnostic } from '@regevents/config';
