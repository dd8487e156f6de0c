/**
 * Validation of other registries' payloads against schemas/vendors, with the same issue format
 * as the distribution validators (property paths, the schema's own expectations, prototype
 * pollution refused).
 */
import type { AcrEvent, ArtifactoryPayload, DockerHubPayload, EcrImageAction, GarPayload, GhcrPayload, GitlabEnvelope, HarborCloudEvent, HarborPayload, HarborPolicy, QuayRepoPush } from '@regevents/types';
import * as generated from './generated/validators.js';
import { runValidators, withPaths, type ValidationResult, type ValidatorPair } from './validate.js';

/** What each vendor schema describes, by the name of its file (`harbor-policy` for vendors/harbor-policy.schema.json). */
export interface VendorPayloads {
  harbor: HarborPayload;
  'harbor-cloudevents': HarborCloudEvent;
  'harbor-policy': HarborPolicy;
  gitlab: GitlabEnvelope;
  acr: AcrEvent;
  dockerhub: DockerHubPayload;
  quay: QuayRepoPush;
  ghcr: GhcrPayload;
  gar: GarPayload;
  ecr: EcrImageAction;
  artifactory: ArtifactoryPayload;
}

export type VendorSchemaName = keyof VendorPayloads;

const VALIDATORS: Record<VendorSchemaName, ValidatorPair> = {
  harbor: { fast: generated.vendorHarborFast, full: generated.vendorHarborFull },
  'harbor-cloudevents': { fast: generated.vendorHarborCloudeventsFast, full: generated.vendorHarborCloudeventsFull },
  'harbor-policy': { fast: generated.vendorHarborPolicyFast, full: generated.vendorHarborPolicyFull },
  gitlab: { fast: generated.vendorGitlabFast, full: generated.vendorGitlabFull },
  acr: { fast: generated.vendorAcrFast, full: generated.vendorAcrFull },
  dockerhub: { fast: generated.vendorDockerhubFast, full: generated.vendorDockerhubFull },
  quay: { fast: generated.vendorQuayFast, full: generated.vendorQuayFull },
  ghcr: { fast: generated.vendorGhcrFast, full: generated.vendorGhcrFull },
  gar: { fast: generated.vendorGarFast, full: generated.vendorGarFull },
  ecr: { fast: generated.vendorEcrFast, full: generated.vendorEcrFull },
  artifactory: { fast: generated.vendorArtifactoryFast, full: generated.vendorArtifactoryFull },
};

/** Every vendor schema name, for iterating and for checking a name that came from outside. */
export const VENDOR_SCHEMA_NAMES = Object.keys(VALIDATORS) as VendorSchemaName[];

/** Validates a parsed payload against a vendor schema (`vendors/<name>.schema.json`); unknown fields are allowed. */
export function validateVendor<N extends VendorSchemaName>(name: N, value: unknown): ValidationResult<VendorPayloads[N]> {
  const validators = VALIDATORS[name];
  if (!validators) throw new TypeError(`no vendor schema named ${JSON.stringify(name)}: use one of ${VENDOR_SCHEMA_NAMES.join(', ')}`);
  return withPaths(runValidators<VendorPayloads[N]>(validators, value));
}
