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

const VALIDATORS: Record<VendorSchemaName, ValidatorPair> = generated.vendorValidators;

/** Every vendor schema name, for iterating and for checking a name that came from outside. */
export const VENDOR_SCHEMA_NAMES = Object.keys(VALIDATORS) as VendorSchemaName[];

/** Validates a parsed payload against a vendor schema (`vendors/<name>.schema.json`); unknown fields are allowed. */
export function validateVendor<N extends VendorSchemaName>(name: N, value: unknown): ValidationResult<VendorPayloads[N]> {
  // own keys only: `toString` or `__proto__` from outside must not reach Object.prototype
  const validators = Object.hasOwn(VALIDATORS, name) ? VALIDATORS[name] : undefined;
  if (!validators) throw new TypeError(`no vendor schema named ${JSON.stringify(name)}: use one of ${VENDOR_SCHEMA_NAMES.join(', ')}`);
  return withPaths(runValidators<VendorPayloads[N]>(validators, value));
}
