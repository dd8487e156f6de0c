import { RegistryError, UnsupportedError, type RegistryClient } from '@regevents/registry-client';
import pLimit from 'p-limit';
import { RetentionConfigError } from './errors.js';
import type { PlannedDeletion, PlannedTagDeletion, RetentionPlan } from './plan/types.js';
import type { UsageStore } from './usage/model.js';

/**
 * - `deleted`: gone now, by this run;
 * - `gone`: the registry no longer had it;
 * - `skipped`: the re-check found it in use since the plan (see `detail`), so it stays;
 * - `unsupported`: the registry cannot delete a tag alone;
 * - `failed`: the registry refused or could not be reached (`detail` says how).
 */
export type ApplyOutcome = 'deleted' | 'gone' | 'skipped' | 'unsupported' | 'failed';

export interface ApplyResult {
  repository: string;
  digest: string;
  /** For a tag removed alone. */
  tag?: string;
  outcome: ApplyOutcome;
  detail?: string;
  /** Planned tags found on another manifest at the re-check: the delete no longer touches them. */
  movedTags?: string[];
}

export interface ApplyReport {
  startedAt: string;
  finishedAt: string;
  results: ApplyResult[];
  counts: Record<ApplyOutcome, number>;
}

export interface ApplyProgress {
  done: number;
  total: number;
  result: ApplyResult;
}

export interface ApplyOptions {
  client: RegistryClient;
  /** The tracker's store: the re-check also refuses a manifest that a tag, a push or a pull touched after the plan. */
  store?: UsageStore;
  /** Deletes in flight. Default 4. */
  concurrency?: number;
  onProgress?: (progress: ApplyProgress) => void;
  /** Epoch ms now, for the report. Default `Date.now`. */
  clock?: () => number;
  signal?: AbortSignal;
}

/** Why a manifest planned for deletion must stay after all, or undefined when nothing touched it since the plan. */
async function inUseSince(deletion: PlannedDeletion, stillThere: string[], planTime: number, store: UsageStore | undefined): Promise<string | undefined> {
  if (!store) return undefined;
  const usage = await store.repository(deletion.repository);
  for (const [tag, facts] of usage.tags) {
    if (facts.digest !== deletion.digest) continue;
    if (!deletion.tags.includes(tag)) return `tag ${tag} points at it now`;
    if (stillThere.includes(tag) && (facts.pushedAt ?? 0) > planTime) return `tag ${tag} was pushed again since the plan`;
  }
  const manifest = usage.manifests.get(deletion.digest);
  if ((manifest?.lastPulledAt ?? 0) > planTime) return 'pulled since the plan';
  return undefined;
}

function failure(error: unknown): string {
  if (error instanceof RegistryError) return `${error.status} ${error.code ?? ''}`.trim();
  return error instanceof Error ? error.message : String(error);
}

/**
 * Carries out a plan: each manifest is re-checked just before its delete (still there, its planned
 * tags still on it or moved away, no tag, push or pull since the plan), then deleted by digest.
 * Parents go before children, and a child whose parent stayed stays too. Blobs are never deleted:
 * run the registry's garbage collection afterwards.
 */
export async function apply(plan: RetentionPlan, options: ApplyOptions): Promise<ApplyReport> {
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RetentionConfigError(`concurrency must be a positive integer (got ${concurrency})`);
  const { client, signal } = options;
  const clock = options.clock ?? Date.now;
  const startedAt = new Date(clock()).toISOString();
  const planTime = Date.parse(plan.createdAt);
  const limit = pLimit(concurrency);
  const results: ApplyResult[] = [];
  const total = plan.deletions.length + plan.tagDeletions.length;
  const stayed = new Set<string>();
  const finish = (result: ApplyResult) => {
    results.push(result);
    if (result.outcome !== 'deleted' && result.outcome !== 'gone') stayed.add(`${result.repository}@${result.digest}`);
    options.onProgress?.({ done: results.length, total, result });
  };

  async function deleteManifest(deletion: PlannedDeletion): Promise<ApplyResult> {
    const { repository, digest } = deletion;
    const base = { repository, digest };
    const heldBy = deletion.parents.find((parent) => stayed.has(`${repository}@${parent}`));
    if (heldBy)
      return {
        ...base,
        outcome: 'skipped',
        detail: `goes with ${heldBy}, which stayed`,
      };
    try {
      if (!(await client.headManifest(repository, digest, { signal }))) return { ...base, outcome: 'gone' };
      const movedTags: string[] = [];
      for (const tag of deletion.tags) {
        const now = await client.headManifest(repository, tag, { signal });
        if (now && now.digest !== digest) movedTags.push(tag);
      }
      const moved = movedTags.length > 0 ? { movedTags } : {};
      const stillThere = deletion.tags.filter((tag) => !movedTags.includes(tag));
      const reason = await inUseSince(deletion, stillThere, planTime, options.store);
      if (reason) return { ...base, ...moved, outcome: 'skipped', detail: reason };
      await client.deleteManifest(repository, digest, { signal });
      return { ...base, ...moved, outcome: 'deleted' };
    } catch (error) {
      if (error instanceof RegistryError && error.status === 404) return { ...base, outcome: 'gone' };
      return { ...base, outcome: 'failed', detail: failure(error) };
    }
  }

  async function deleteTag(deletion: PlannedTagDeletion): Promise<ApplyResult> {
    const { repository, digest, tag } = deletion;
    const base = { repository, digest, tag };
    try {
      const now = await client.headManifest(repository, tag, { signal });
      if (!now) return { ...base, outcome: 'gone' };
      if (now.digest !== digest)
        return {
          ...base,
          outcome: 'skipped',
          detail: `the tag moved to ${now.digest}`,
        };
      await client.deleteTag(repository, tag, { signal });
      return { ...base, outcome: 'deleted' };
    } catch (error) {
      if (error instanceof UnsupportedError)
        return {
          ...base,
          outcome: 'unsupported',
          detail: 'the registry cannot delete a tag alone',
        };
      return { ...base, outcome: 'failed', detail: failure(error) };
    }
  }

  const levels = [...new Set(plan.deletions.map((deletion) => deletion.level))].sort((a, b) => a - b);
  for (const level of levels) {
    const batch = plan.deletions.filter((deletion) => deletion.level === level);
    await Promise.all(batch.map((deletion) => limit(async () => finish(await deleteManifest(deletion)))));
  }
  await Promise.all(plan.tagDeletions.map((deletion) => limit(async () => finish(await deleteTag(deletion)))));

  const counts: Record<ApplyOutcome, number> = {
    deleted: 0,
    gone: 0,
    skipped: 0,
    unsupported: 0,
    failed: 0,
  };
  for (const result of results) counts[result.outcome] += 1;
  return {
    startedAt,
    finishedAt: new Date(clock()).toISOString(),
    results,
    counts,
  };
}
