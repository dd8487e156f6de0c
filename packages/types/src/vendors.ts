/**
 * Other registries' payload types. They are the types openapi-typescript generates from schemas/vendors
 * (./generated/vendors.ts), refined where a schema says more than TypeScript can infer
 * (GitLab's if/then/else on `action`, Harbor's `type`-selected shapes).
 */
import type { Event as DistributionEvent } from './events.js';
import type { components } from './generated/vendors.js';

type Schemas = components['schemas'];

export type HarborPayload = Schemas['Harbor'];
export type HarborEventType = HarborPayload['type'];
export type HarborEventData = Schemas['HarborEventData'];
export type HarborResource = Schemas['HarborResource'];
export type HarborRepository = Schemas['HarborRepository'];
export type HarborReplication = Schemas['HarborReplication'];
export type HarborRetention = Schemas['HarborRetention'];
export type HarborPayloadOf<T extends HarborEventType> = Extract<HarborPayload, { type: T }>;

export type HarborCloudEvent = Schemas['HarborCloudevents'] & { data: HarborEventData };
export type HarborPolicy = Schemas['HarborPolicy'];
export type HarborPolicyTarget = Schemas['HarborPolicyTarget'];

export type GitlabActor = Schemas['GitlabActor'];
export type GitlabMeta = Schemas['GitlabMeta'];
export type GitlabRename = Schemas['GitlabRename'];
export type GitlabRenameEvent = Schemas['GitlabRenameEvent'];
/** A distribution event as GitLab's registry sends it: its actor may carry `user_type`/`user`, and blob pulls `meta.blob`. */
export type GitlabDistributionEvent = DistributionEvent & { actor: GitlabActor; meta?: GitlabMeta };
export type GitlabEvent = GitlabRenameEvent | GitlabDistributionEvent;
export interface GitlabEnvelope {
  events: GitlabEvent[];
}

export type AcrEvent = Schemas['Acr'];
export type DockerHubPayload = Schemas['Dockerhub'];
export type QuayRepoPush = Schemas['Quay'];
export type GhcrPayload = Schemas['Ghcr'];
export type GhcrPackage = Schemas['GhcrPackage'];
/** openapi-typescript widens the schema's `anyOf: [{required: [digest]}, {required: [tag]}]` to unknown; this is the object it describes. */
export interface GarData {
  action: 'INSERT' | 'DELETE';
  /** Full image reference by digest. */
  digest?: string;
  /** Full image reference by tag. */
  tag?: string;
}
export type GarPushEnvelope = Schemas['GarPushEnvelope'];
export type GarPayload = GarData | GarPushEnvelope;
export type EcrImageAction = Schemas['Ecr'];
export type ArtifactoryDockerData = Schemas['ArtifactoryData'];
export type ArtifactoryPayload = Schemas['Artifactory'];
