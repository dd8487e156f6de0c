import { PolicyChecker, readPolicyYaml, checkTagSelector, type PolicyDiagnostic, type PolicyPath } from '@regevents/config';
import type { RepositoryPolicy, RetentionPolicy, RetentionRule } from './types.js';

export interface CheckedPolicy {
  /** Undefined when any diagnostic is an error. */
  policy?: RetentionPolicy;
  diagnostics: PolicyDiagnostic[];
}

const KEEP_KEYS = ['last', 'by', 'tags'] as const;
const REMOVE_KEYS = ['untagged', 'olderThan', 'by', 'notPulledFor'] as const;

function checkKeep(value: unknown, path: PolicyPath, checker: PolicyChecker): RetentionRule | undefined {
  const keep = checker.object(value, path, KEEP_KEYS);
  if (!keep) return undefined;
  if ((keep.last === undefined) === (keep.tags === undefined)) return checker.error('invalid-value', 'keep takes exactly one of last or tags', path);
  if (keep.tags !== undefined) {
    const tags = checkTagSelector(keep.tags, [...path, 'tags'], checker);
    return tags && { keep: { tags } };
  }
  const last = checker.integer(keep.last, [...path, 'last'], { min: 1 });
  const by = keep.by === undefined ? 'pushed' : checker.choice(keep.by, [...path, 'by'], ['pushed', 'pulled'] as const);
  return last === undefined || by === undefined ? undefined : { keep: { last, by } };
}

function checkRemove(value: unknown, path: PolicyPath, checker: PolicyChecker): RetentionRule | undefined {
  const remove = checker.object(value, path, REMOVE_KEYS);
  if (!remove) return undefined;
  const kinds = (['untagged', 'olderThan', 'notPulledFor'] as const).filter((kind) => remove[kind] !== undefined);
  if (kinds.length !== 1) return checker.error('invalid-value', `remove takes exactly one of untagged, olderThan or notPulledFor (got ${kinds.length === 0 ? 'none' : kinds.join(' and ')})`, path);
  if (remove.by !== undefined && kinds[0] !== 'olderThan') checker.report('warning', 'unknown-key', '"by" only applies to olderThan', [...path, 'by']);
  if (kinds[0] === 'untagged') {
    if (remove.untagged !== true) return checker.error('invalid-value', 'untagged takes true (leave the rule out to keep untagged manifests)', [...path, 'untagged']);
    return { remove: { untagged: true } };
  }
  if (kinds[0] === 'olderThan') {
    const olderThanMs = checker.duration(remove.olderThan, [...path, 'olderThan'], 1);
    const by = remove.by === undefined ? 'pushed' : checker.choice(remove.by, [...path, 'by'], ['pushed'] as const);
    return olderThanMs === undefined || by === undefined ? undefined : { remove: { olderThanMs, by } };
  }
  const notPulledForMs = checker.duration(remove.notPulledFor, [...path, 'notPulledFor'], 1);
  return notPulledForMs === undefined ? undefined : { remove: { notPulledForMs } };
}

function checkRule(value: unknown, path: PolicyPath, checker: PolicyChecker): RetentionRule | undefined {
  const rule = checker.object(value, path, ['keep', 'remove']);
  if (!rule) return undefined;
  if ((rule.keep === undefined) === (rule.remove === undefined)) return checker.error('invalid-value', 'a rule is either keep: {...} or remove: {...}', path);
  return rule.keep !== undefined ? checkKeep(rule.keep, [...path, 'keep'], checker) : checkRemove(rule.remove, [...path, 'remove'], checker);
}

function checkRepositoryPolicy(value: unknown, path: PolicyPath, checker: PolicyChecker): RepositoryPolicy | undefined {
  const object = checker.object(value, path, ['repositories', 'exclude', 'rules']);
  if (!object) return undefined;
  const repositories =
    object.repositories === undefined
      ? checker.error('missing-key', 'repositories is required (globs such as team/* or **)', [...path, 'repositories'])
      : checker.strings(object.repositories, [...path, 'repositories']);
  let exclude: RepositoryPolicy['exclude'];
  if (object.exclude !== undefined) {
    const excluded = checker.object(object.exclude, [...path, 'exclude'], ['repositories']);
    const globs = excluded && checker.strings(excluded.repositories, [...path, 'exclude', 'repositories']);
    if (globs) exclude = { repositories: globs };
  }
  if (!Array.isArray(object.rules) || object.rules.length === 0) return checker.error('missing-key', 'rules is a list of at least one keep or remove rule', [...path, 'rules']);
  const rules = object.rules.map((rule, index) => checkRule(rule, [...path, 'rules', index], checker));
  if (!repositories || !rules.every((rule): rule is RetentionRule => rule !== undefined)) return undefined;
  if (!rules.some((rule) => 'remove' in rule)) checker.report('warning', 'nothing-removed', 'no rule removes anything: this policy keeps every tag', [...path, 'rules']);
  return exclude ? { repositories, exclude, rules } : { repositories, rules };
}

function check(value: unknown, checker: PolicyChecker): RetentionPolicy | undefined {
  const root = checker.object(value, [], ['policies']);
  if (!root) return undefined;
  if (!Array.isArray(root.policies) || root.policies.length === 0) return checker.error('missing-key', 'policies is a list of at least one { repositories, rules }', ['policies']);
  const policies = root.policies.map((policy, index) => checkRepositoryPolicy(policy, ['policies', index], checker));
  return policies.every((policy): policy is RepositoryPolicy => policy !== undefined) ? { policies } : undefined;
}

/** Checks a policy given as data; every diagnostic names the path of the value it is about. */
export function checkRetentionPolicy(value: unknown): CheckedPolicy {
  const checker = new PolicyChecker();
  const policy = check(value, checker);
  const diagnostics = checker.finish();
  return checker.errorCount === 0 && policy ? { policy, diagnostics } : { diagnostics };
}

/** Reads a policy file (YAML); diagnostics carry the line and column as well as the path. */
export function parseRetentionPolicy(text: string): CheckedPolicy {
  const yaml = readPolicyYaml(text);
  if (yaml.value === undefined) return { diagnostics: yaml.diagnostics };
  const checker = new PolicyChecker();
  const policy = check(yaml.value, checker);
  const diagnostics = [...yaml.diagnostics, ...checker.finish(yaml.locate)];
  return checker.errorCount === 0 && policy ? { policy, diagnostics } : { diagnostics };
}
