import type { TagSelector } from '@regevents/config';

/** Keeps the `last` most recent tags, by last push or by last pull (never pulled comes last). */
export interface KeepLastRule {
  keep: { last: number; by: 'pushed' | 'pulled' };
}

/** Keeps the tags a selector takes: globs, a regular expression, or a semver range. */
export interface KeepTagsRule {
  keep: { tags: TagSelector };
}

/** Removes manifests no tag points at (ones the tracker saw pushed; the registry API cannot list them). */
export interface RemoveUntaggedRule {
  remove: { untagged: true };
}

/** Removes what was pushed more than `olderThanMs` ago. */
export interface RemoveOlderThanRule {
  remove: { olderThanMs: number; by: 'pushed' };
}

/** Removes what nobody pulled for `notPulledForMs` (counted from the push when never pulled). */
export interface RemoveNotPulledForRule {
  remove: { notPulledForMs: number };
}

export type RetentionRule = KeepLastRule | KeepTagsRule | RemoveUntaggedRule | RemoveOlderThanRule | RemoveNotPulledForRule;

/**
 * Rules for the repositories its globs select. Rules run in order; what a rule selects is decided
 * and later rules do not see it; whatever no rule removes is kept.
 */
export interface RepositoryPolicy {
  repositories: string[];
  exclude?: { repositories: string[] };
  rules: RetentionRule[];
}

/** Each repository follows the first policy whose globs select it; other repositories are left alone. */
export interface RetentionPolicy {
  policies: RepositoryPolicy[];
}
