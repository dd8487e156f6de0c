/**
 * The one model every vendor's event normalizes into. Its shape is schemas/normalized (types in
 * `@regevents/types`); the lists here are its enums at run time, and a test keeps them equal.
 */
import type { NormalizedEventData, NormalizedKind, RegistryKind } from '@regevents/types';

export type { NormalizedKind, RegistryKind };

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
] as const satisfies readonly NormalizedKind[];

export const REGISTRY_KINDS = ['distribution', 'gitlab', 'harbor', 'acr', 'dockerhub', 'quay', 'ghcr', 'gar', 'ecr', 'artifactory'] as const satisfies readonly RegistryKind[];

/** The wire formats `detectFormat` tells apart (Harbor has two payload formats). */
export const FORMAT_IDS = ['distribution', 'gitlab', 'harbor', 'harbor-cloudevents', 'acr', 'dockerhub', 'quay', 'ghcr', 'gar', 'ecr', 'artifactory'] as const;

export type FormatId = (typeof FORMAT_IDS)[number];

/** A normalized event as `normalize` returns it: the schema's fields, with `occurredAt` as a `Date`. */
export type NormalizedRegistryEvent = Omit<NormalizedEventData, 'occurredAt'> & { occurredAt: Date };
