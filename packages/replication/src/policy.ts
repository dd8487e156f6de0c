import { checkArtifactSelector, PolicyChecker, readPolicyYaml, type ArtifactSelector, type PolicyDiagnostic, type PolicyPath } from '@regevents/config';
import type { Platform } from '@regevents/types';

/** Credentials for one registry: a password given as data, or the name of the environment variable holding it. */
export interface RegistryCredentials {
  username: string;
  password?: string;
  /** Read at start from this environment variable (the YAML form: keeps secrets out of the file). */
  passwordEnv?: string;
}

export interface RegistryEndpoint {
  /** Base URL of the registry, e.g. `http://registry-eu:5000`. */
  registry: string;
  credentials?: RegistryCredentials;
}

export interface ReplicationTarget extends RegistryEndpoint {
  /** Names the target in job ids, status and the CLI; default `target-<index>`. */
  name: string;
  /** Prefix of the target repository: `namespace: mirror` puts `team/app` at `mirror/team/app`. */
  namespace?: string;
  /** Copy only these platforms of an index (the index is rewritten, so its digest differs from the source's). */
  platforms?: Platform[];
  /** Copies in flight to this target, across every worker. Default 4. */
  concurrency: number;
  /** At most `max` copies started per `perMs` to this target, across every worker. */
  rateLimit?: { max: number; perMs: number };
}

/** `{ everyMs, event: true }` does both: events as they come, and catch-up on the schedule for what they missed. */
export type ReplicationTrigger = 'event' | 'manual' | { everyMs: number; event?: boolean };

export interface ReplicationPolicy {
  /** Unique; letters, digits, `.`, `_`, `-`. */
  name: string;
  source: RegistryEndpoint & ArtifactSelector;
  targets: ReplicationTarget[];
  /** `event`: each push is copied as it happens (and catch-up runs on start); `{ everyMs }`: catch-up on a schedule; `manual`: only when asked. */
  trigger: ReplicationTrigger;
  /** `propagate`: a manifest or tag deleted on the source is deleted on the targets. Default `ignore`. */
  deletes: 'propagate' | 'ignore';
  /** Replace a target tag that points elsewhere. Default true; false leaves such tags alone (as Harbor's override off). */
  overwrite: boolean;
  /** Attempts per job before it ends in Error. Default 8. */
  attempts: number;
  /** First retry delay, doubling at each attempt. Default 1000 ms. */
  backoffMs: number;
}

export interface CheckedPolicies {
  /** Every policy when there is no error; empty otherwise. */
  policies: ReplicationPolicy[];
  diagnostics: PolicyDiagnostic[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const POLICY_KEYS = ['name', 'source', 'targets', 'trigger', 'deletes', 'overwrite', 'attempts', 'backoff'] as const;
const SOURCE_KEYS = ['registry', 'credentials', 'repositories', 'tags', 'exclude'] as const;
const TARGET_KEYS = ['name', 'registry', 'credentials', 'namespace', 'platforms', 'concurrency', 'rateLimit'] as const;
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_ATTEMPTS = 8;
const DEFAULT_BACKOFF_MS = 1000;

function checkRegistry(checker: PolicyChecker, value: unknown, path: PolicyPath): string | undefined {
  const text = checker.string(value, path, { nonEmpty: true });
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return checker.error('invalid-url', `"${text}" is not a URL; write the registry's base URL, e.g. http://registry:5000`, path);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return checker.error('invalid-url', `a registry URL is http or https (got ${url.protocol})`, path);
  if (url.username || url.password) return checker.error('invalid-url', 'put credentials under credentials:, not in the URL', path);
  return text.replace(/\/+$/, '');
}

function checkCredentials(checker: PolicyChecker, value: unknown, path: PolicyPath): RegistryCredentials | undefined {
  const object = checker.object(value, path, ['username', 'password', 'passwordEnv']);
  if (!object) return undefined;
  const username = checker.string(object.username, [...path, 'username'], { nonEmpty: true });
  const hasPassword = object.password !== undefined;
  const hasEnv = object.passwordEnv !== undefined;
  if (hasPassword === hasEnv) return checker.error('invalid-value', 'credentials need exactly one of password or passwordEnv', path);
  if (username === undefined) return undefined;
  if (hasEnv) {
    const passwordEnv = checker.string(object.passwordEnv, [...path, 'passwordEnv'], { nonEmpty: true });
    return passwordEnv === undefined ? undefined : { username, passwordEnv };
  }
  const password = checker.string(object.password, [...path, 'password']);
  return password === undefined ? undefined : { username, password };
}

function checkEndpoint(checker: PolicyChecker, object: Record<string, unknown>, path: PolicyPath): RegistryEndpoint | undefined {
  if (object.registry === undefined) return checker.error('missing-key', 'registry: is required', path);
  const registry = checkRegistry(checker, object.registry, [...path, 'registry']);
  const credentials = object.credentials === undefined ? undefined : checkCredentials(checker, object.credentials, [...path, 'credentials']);
  if (registry === undefined) return undefined;
  return credentials ? { registry, credentials } : { registry };
}

function checkPlatforms(checker: PolicyChecker, value: unknown, path: PolicyPath): Platform[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return checker.error('invalid-type', 'platforms is a non-empty list of { os, architecture, variant? }', path);
  const platforms: Platform[] = [];
  for (const [index, item] of value.entries()) {
    const object = checker.object(item, [...path, index], ['os', 'architecture', 'variant']);
    if (!object) continue;
    const os = checker.string(object.os, [...path, index, 'os'], { nonEmpty: true });
    const architecture = checker.string(object.architecture, [...path, index, 'architecture'], { nonEmpty: true });
    const variant = object.variant === undefined ? undefined : checker.string(object.variant, [...path, index, 'variant'], { nonEmpty: true });
    if (os !== undefined && architecture !== undefined) platforms.push(variant ? { os, architecture, variant } : { os, architecture });
  }
  return platforms.length === value.length ? platforms : undefined;
}

function checkRateLimit(checker: PolicyChecker, value: unknown, path: PolicyPath): ReplicationTarget['rateLimit'] {
  const object = checker.object(value, path, ['max', 'per']);
  if (!object) return undefined;
  const max = checker.integer(object.max, [...path, 'max'], { min: 1 });
  const perMs = checker.duration(object.per ?? '1s', [...path, 'per'], 1);
  return max !== undefined && perMs !== undefined ? { max, perMs } : undefined;
}

function checkTarget(checker: PolicyChecker, value: unknown, path: PolicyPath, index: number): ReplicationTarget | undefined {
  const object = checker.object(value, path, TARGET_KEYS);
  if (!object) return undefined;
  const endpoint = checkEndpoint(checker, object, path);
  const name = object.name === undefined ? `target-${index}` : checker.string(object.name, [...path, 'name']);
  if (name !== undefined && !NAME.test(name)) checker.error('invalid-value', 'a target name is 1-64 letters, digits, ".", "_" or "-"', [...path, 'name']);
  const namespace = object.namespace === undefined ? undefined : checker.string(object.namespace, [...path, 'namespace'], { nonEmpty: true });
  const platforms = object.platforms === undefined ? undefined : checkPlatforms(checker, object.platforms, [...path, 'platforms']);
  const concurrency = object.concurrency === undefined ? DEFAULT_CONCURRENCY : checker.integer(object.concurrency, [...path, 'concurrency'], { min: 1, max: 256 });
  const rateLimit = object.rateLimit === undefined ? undefined : checkRateLimit(checker, object.rateLimit, [...path, 'rateLimit']);
  if (!endpoint || name === undefined || concurrency === undefined) return undefined;
  const target: ReplicationTarget = { ...endpoint, name, concurrency };
  if (namespace) target.namespace = namespace.replace(/^\/+|\/+$/g, '');
  if (platforms) target.platforms = platforms;
  if (rateLimit) target.rateLimit = rateLimit;
  return target;
}

function checkTrigger(checker: PolicyChecker, value: unknown, path: PolicyPath): ReplicationTrigger | undefined {
  if (value === undefined) return 'event';
  if (typeof value === 'string') return checker.choice(value, path, ['event', 'manual'] as const);
  const object = checker.object(value, path, ['every', 'event']);
  if (!object) return undefined;
  const everyMs = checker.duration(object.every, [...path, 'every'], 1000);
  const event = object.event === undefined ? false : checker.boolean(object.event, [...path, 'event']);
  if (everyMs === undefined || event === undefined) return undefined;
  return event ? { everyMs, event } : { everyMs };
}

/** Checks one policy given as data; undefined (with diagnostics) when it is wrong. */
function checkOne(checker: PolicyChecker, value: unknown, path: PolicyPath): ReplicationPolicy | undefined {
  const object = checker.object(value, path, POLICY_KEYS);
  if (!object) return undefined;
  const name = checker.string(object.name, [...path, 'name']);
  if (name !== undefined && !NAME.test(name)) checker.error('invalid-value', 'a policy name is 1-64 letters, digits, ".", "_" or "-"', [...path, 'name']);
  const sourceObject = object.source === undefined ? checker.error('missing-key', 'source: is required', path) : checker.object(object.source, [...path, 'source'], SOURCE_KEYS);
  const endpoint = sourceObject && checkEndpoint(checker, sourceObject, [...path, 'source']);
  const selector = sourceObject && checkArtifactSelector(sourceObject, [...path, 'source'], checker);
  const targets = checkTargets(checker, object.targets, [...path, 'targets']);
  const trigger = checkTrigger(checker, object.trigger, [...path, 'trigger']);
  const deletes = object.deletes === undefined ? 'ignore' : checker.choice(object.deletes, [...path, 'deletes'], ['propagate', 'ignore'] as const);
  const overwrite = object.overwrite === undefined ? true : checker.boolean(object.overwrite, [...path, 'overwrite']);
  const attempts = object.attempts === undefined ? DEFAULT_ATTEMPTS : checker.integer(object.attempts, [...path, 'attempts'], { min: 1, max: 100 });
  const backoffMs = object.backoff === undefined ? DEFAULT_BACKOFF_MS : checker.duration(object.backoff, [...path, 'backoff'], 1);
  if (name === undefined || !NAME.test(name) || !endpoint || !selector || !targets || !trigger || !deletes || overwrite === undefined || attempts === undefined || backoffMs === undefined) return undefined;
  return { name, source: { ...endpoint, ...selector }, targets, trigger, deletes, overwrite, attempts, backoffMs };
}

function checkTargets(checker: PolicyChecker, value: unknown, path: PolicyPath): ReplicationTarget[] | undefined {
  if (value === undefined) return checker.error('missing-key', 'targets: is required (a list of { registry, ... })', path.slice(0, -1));
  if (!Array.isArray(value) || value.length === 0) return checker.error('invalid-type', 'targets is a non-empty list of { registry, ... }', path);
  const targets = value.map((item, index) => checkTarget(checker, item, [...path, index], index));
  const names = new Set<string>();
  for (const [index, target] of targets.entries()) {
    if (target && names.has(target.name)) checker.error('duplicate-name', `two targets are named "${target.name}"`, [...path, index, 'name']);
    if (target) names.add(target.name);
  }
  return targets.every((target): target is ReplicationTarget => target !== undefined) ? targets : undefined;
}

/** One policy or a list of them, at `base` in the document. */
function checkList(checker: PolicyChecker, value: unknown, base: PolicyPath): ReplicationPolicy[] | undefined {
  const entries: [unknown, PolicyPath][] = Array.isArray(value) ? value.map((item, index) => [item, [...base, index]]) : [[value, base]];
  const policies = entries.map(([item, path]) => checkOne(checker, item, path));
  const names = new Set<string>();
  for (const [index, policy] of policies.entries()) {
    if (policy && names.has(policy.name)) checker.error('duplicate-name', `two policies are named "${policy.name}"`, [...(entries[index]?.[1] ?? base), 'name']);
    if (policy) names.add(policy.name);
  }
  return checker.errorCount === 0 && policies.every((policy) => policy !== undefined) ? (policies as ReplicationPolicy[]) : undefined;
}

/** Checks policies given as data (one policy or a list); never throws on bad input. */
export function checkPolicies(value: unknown): CheckedPolicies {
  const checker = new PolicyChecker();
  const policies = checkList(checker, value, []);
  return { policies: policies ?? [], diagnostics: checker.finish() };
}

/** Reads a policy file: `policies: [...]` (or a single policy mapping), with diagnostics located in the text. */
export function readPolicyFile(text: string): CheckedPolicies {
  const yaml = readPolicyYaml(text);
  if (yaml.diagnostics.length > 0) return { policies: [], diagnostics: yaml.diagnostics };
  const checker = new PolicyChecker();
  const document = yaml.value;
  const wrapped = typeof document === 'object' && document !== null && !Array.isArray(document) && 'policies' in document;
  if (wrapped) checker.object(document, [], ['policies']);
  const policies = checkList(checker, wrapped ? (document as { policies: unknown }).policies : document, wrapped ? ['policies'] : []);
  return { policies: policies ?? [], diagnostics: checker.finish(yaml.locate) };
}
