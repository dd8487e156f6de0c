import type { FormatIssue } from './errors.js';
import { InvalidPayloadError } from './errors.js';
import * as validators from './generated/validators.js';

interface AjvError {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
  parentSchema?: Record<string, unknown>;
}
type CompiledValidator = ((value: unknown) => boolean) & { errors?: AjvError[] | null };

/** The vendor schemas, by the name of their file (`harbor-policy` for harbor-policy.schema.json). */
export type VendorSchemaName = 'harbor' | 'harbor-cloudevents' | 'harbor-policy' | 'gitlab' | 'acr' | 'dockerhub' | 'quay' | 'ghcr' | 'gar' | 'ecr' | 'artifactory';

const BY_NAME: Record<VendorSchemaName, CompiledValidator> = {
  harbor: validators.harbor,
  'harbor-cloudevents': validators.harborCloudevents,
  'harbor-policy': validators.harborPolicy,
  gitlab: validators.gitlab,
  acr: validators.acr,
  dockerhub: validators.dockerhub,
  quay: validators.quay,
  ghcr: validators.ghcr,
  gar: validators.gar,
  ecr: validators.ecr,
  artifactory: validators.artifactory,
};

export type VendorValidationResult<T> = { ok: true; value: T } | { ok: false; issues: FormatIssue[] };

/** Drops the branch noise of oneOf/anyOf so a rejected body lists the problems a person can fix. */
function toIssues(errors: readonly AjvError[]): FormatIssue[] {
  const seen = new Set<string>();
  const issues: FormatIssue[] = [];
  for (const error of errors) {
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'if') continue;
    const message = error.keyword === 'pattern' ? String(error.parentSchema?.['x-expectation'] ?? error.message) : (error.message ?? error.keyword);
    const key = `${error.instancePath} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ path: error.instancePath || '/', message });
  }
  return issues.length > 0 ? issues : [{ path: '/', message: 'does not match the schema' }];
}

/** Validates a parsed body against a vendor schema; unknown fields are allowed. */
export function validateVendor<T = unknown>(name: VendorSchemaName, value: unknown): VendorValidationResult<T> {
  const validator = BY_NAME[name];
  if (validator(value)) return { ok: true, value: value as T };
  return { ok: false, issues: toIssues(validator.errors ?? []) };
}

export function assertVendor<T>(name: VendorSchemaName, value: unknown): T {
  const result = validateVendor<T>(name, value);
  if (!result.ok) throw new InvalidPayloadError(name, result.issues);
  return result.value;
}
