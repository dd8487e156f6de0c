export { createUsageTracker, OWN_USER_AGENT_PREFIX, type UsageTracker, type UsageTrackerOptions } from './usage/tracker.js';
export { createMemoryUsageStore } from './usage/memory-store.js';
export { createRedisUsageStore, type RedisUsageStoreOptions } from './usage/redis-store.js';
export type { DeleteRecord, ManifestUsage, PullRecord, PushRecord, PushTimeSource, RepositoryUsage, TagUsage, UsageStore } from './usage/model.js';
export { checkRetentionPolicy, parseRetentionPolicy, type CheckedPolicy } from './policy/check.js';
export type { KeepLastRule, KeepTagsRule, RemoveNotPulledForRule, RemoveOlderThanRule, RemoveUntaggedRule, RepositoryPolicy, RetentionPolicy, RetentionRule } from './policy/types.js';
export type { RuleRef } from './policy/decide.js';
export { plan, type PlanOptions } from './plan/plan.js';
export type { History } from './plan/inventory.js';
export type { PlanEntry, PlannedDeletion, PlannedTagDeletion, Reason, RetentionPlan } from './plan/types.js';
export { formatBytes, formatPlanJson, formatPlanTable, type PlanColumn, type TableOptions } from './plan/format.js';
export { apply, type ApplyOptions, type ApplyOutcome, type ApplyProgress, type ApplyReport, type ApplyResult } from './apply.js';
export { RetentionConfigError, RetentionError, UsageConflictError } from './errors.js';

/** The User-Agent of retention's own reads (plans and re-checks), left out of pull statistics. */
export const RETENTION_USER_AGENT = 'regevents-retention/0.1.0';
