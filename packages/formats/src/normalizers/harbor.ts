import type { NormalizedKind, NormalizedRegistryEvent } from '../model.js';
import type { HarborEventType, HarborPayload, HarborResource } from '@regevents/types';
import { compact, vendorReference } from './image-ref.js';

export const HARBOR_KINDS: Record<HarborEventType, NormalizedKind> = {
  PUSH_ARTIFACT: 'artifact.pushed',
  PULL_ARTIFACT: 'artifact.pulled',
  DELETE_ARTIFACT: 'artifact.deleted',
  SCANNING_COMPLETED: 'scan.completed',
  SCANNING_FAILED: 'scan.failed',
  SCANNING_STOPPED: 'scan.stopped',
  QUOTA_EXCEED: 'quota.exceeded',
  QUOTA_WARNING: 'quota.warning',
  REPLICATION: 'replication.status',
  TAG_RETENTION: 'retention.finished',
};

/** Project-level events name no repository: replication names its destination project, retention its project. */
function repositoryOf(payload: HarborPayload): string {
  const data = payload.event_data;
  if (data.repository) return data.repository.repo_full_name;
  const replication = data.replication;
  if (replication) return replication.dest_resource?.namespace ?? replication.src_resource?.namespace ?? '';
  return data.retention?.project_name ?? '';
}

function hostOf(payload: HarborPayload, resource: HarborResource | undefined): string | undefined {
  const fromUrl = resource?.resource_url ? vendorReference(resource.resource_url).registry : undefined;
  return fromUrl ?? payload.event_data.replication?.harbor_hostname ?? payload.event_data.retention?.harbor_hostname;
}

/**
 * A Harbor payload gives one normalized event per resource (one when it has none). Harbor's
 * Default format has no id, so ids are derived by the caller (`ids[i]` for resource i). `raw` is
 * what Harbor sent: the payload, or the CloudEvent it was read from.
 */
export function normalizeHarborPayload(payload: HarborPayload, ids: readonly string[], raw: unknown = payload): NormalizedRegistryEvent[] {
  const resources: (HarborResource | undefined)[] = payload.event_data.resources?.length ? payload.event_data.resources : [undefined];
  return resources.map((resource, index) =>
    compact({
      kind: HARBOR_KINDS[payload.type],
      registry: compact({ kind: 'harbor' as const, host: hostOf(payload, resource) }),
      repository: repositoryOf(payload),
      digest: resource?.digest,
      // Harbor writes the digest as the tag of an untagged artifact.
      tag: resource?.tag && resource.tag !== resource.digest ? resource.tag : undefined,
      actor: payload.operator || undefined,
      occurredAt: new Date(payload.occur_at * 1000),
      id: ids[index] as string,
      raw,
    }),
  );
}

/** How many normalized events (and ids) a payload gives. */
export function harborEventCount(payload: HarborPayload): number {
  return Math.max(1, payload.event_data.resources?.length ?? 0);
}
