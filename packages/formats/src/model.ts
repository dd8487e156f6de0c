/**
 * The one model every vendor's event normalizes into.
 */

/** What happened, across registries. */
export const NORMALIZED_KINDS = [
  'artifact.pushed',
  'artifact.pulled',
  'artifact.deleted',
  'tag.deleted',
  'blob.pushed',
  'blob.pulled',
  'blob.mounted',
  'blob.deleted',
  'repository.renamed',
  'scan.completed',
  'scan.failed',
  'scan.stopped',
  'quota.exceeded',
  'quota.warning',
  'replication.status',
  'retention.finished',
] as const;

export type NormalizedKind = (typeof NORMALIZED_KINDS)[number];

export const REGISTRY_KINDS = ['distribution', 'gitlab', 'harbor', 'acr', 'dockerhub', 'quay', 'ghcr', 'gar', 'ecr', 'artifactory'] as const;

export type RegistryKind = (typeof REGISTRY_KINDS)[number];

/** The wire formats `detectFormat` tells apart (Harbor has two payload formats). */
export const FORMAT_IDS = ['distribution', 'gitlab', 'harbor', 'harbor-cloudevents', 'acr', 'dockerhub', 'quay', 'ghcr', 'gar', 'ecr', 'artifactory'] as const;

export type FormatId = (typeof FORMAT_IDS)[number];

export interface NormalizedRegistryEvent {
  kind: NormalizedKind;
  registry: { kind: RegistryKind; host?: string };
  /** Repository path without the host, e.g. `library/alpine`; for project-level Harbor events (replication, retention), the project. */
  repository: string;
  digest?: string;
  tag?: string;
  mediaType?: string;
  size?: number;
  /** Who caused it, when the vendor says. */
  actor?: string;
  /** When it happened; for formats that carry no time (Quay, Artifactory's docker domain), when it was normalized. */
  occurredAt: Date;
  /** The vendor's event id, or a stable id derived from the event (same input, same id) when it has none. */
  id: string;
  /** The source event as received (the envelope's event, not the whole envelope), so nothing is lost. */
  raw: unknown;
}
