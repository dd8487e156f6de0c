import type { RegistryClient } from '@regevents/registry-client';
import pLimit from 'p-limit';
import { RetentionConfigError } from '../errors.js';
import { compilePolicy } from '../policy/decide.js';
import type { RetentionPolicy } from '../policy/types.js';
import type { UsageStore } from '../usage/model.js';
import { readRepository } from './inventory.js';
import { isoFormatter } from './iso-time.js';
import { reclaimableBytes } from './reclaim.js';
import { planRepository, type RepositoryPlan } from './repository-plan.js';
import type { PlanEntry, PlannedDeletion, RetentionPlan } from './types.js';

export interface PlanOptions {
  client: RegistryClient;
  /** Usage from the tracker; without it, every time comes from the registry and nothing counts as pulled. */
  store?: UsageStore;
  /** Epoch ms now. Default `Date.now`. */
  clock?: () => number;
  /** Requests in flight. Default 8. */
  concurrency?: number;
  /** The repositories to read. Default: the registry's catalog. */
  repositories?: readonly string[];
  /** Ask the referrers API for each manifest (spec-complete registries); default: read the `sha256-<hex>` fallback tags only. */
  referrersApi?: boolean;
  /** Remove a tag alone when its manifest must stay (registries that delete tags: distribution 3.x). Default false: such tags are kept. */
  deleteTags?: boolean;
  signal?: AbortSignal;
}

async function repositoriesOf(options: PlanOptions): Promise<string[]> {
  if (options.repositories) return [...options.repositories];
  const names: string[] = [];
  for await (const name of options.client.catalog({ signal: options.signal })) names.push(name);
  return names;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RetentionConfigError(`${name} must be a positive integer (got ${value})`);
  return value;
}

/**
 * What `policy` would do to the registry, as data: every tag and manifest it looked at, kept or
 * removed and why, the deletions `apply` would make, and the bytes garbage collection would free.
 * It reads only (manifest HEADs and GETs marked with the client's User-Agent), never changes anything.
 */
export async function plan(policy: RetentionPolicy, options: PlanOptions): Promise<RetentionPlan> {
  const concurrency = positiveInteger(options.concurrency, 8, 'concurrency');
  const clock = options.clock ?? Date.now;
  const now = clock();
  const compiled = compilePolicy(policy);
  const limit = pLimit(concurrency);
  const repositoryLimit = pLimit(concurrency);
  const repositories = await repositoriesOf(options);
  const planOptions = { now, deleteTags: options.deleteTags === true, iso: isoFormatter() };
  const inventoryOptions = {
    client: options.client,
    store: options.store,
    limit,
    referrersApi: options.referrersApi === true,
    signal: options.signal,
  };
  const results = await Promise.all(
    repositories.map((repository) =>
      repositoryLimit(
        async (): Promise<{
          repository: string;
          touched: boolean;
          plan: RepositoryPlan;
        }> => {
          const policyOf = compiled.policyFor(repository);
          const inventory = await readRepository(repository, inventoryOptions);
          return {
            repository,
            touched: policyOf !== undefined,
            plan: planRepository(inventory, policyOf, planOptions),
          };
        },
      ),
    ),
  );

  const removed = results.flatMap((result) =>
    result.plan.removed.map((item) => ({
      repository: result.repository,
      ...item,
    })),
  );
  const bytes = reclaimableBytes(
    removed.map((item) => item.node),
    results.flatMap((result) => result.plan.kept),
  );
  const deletions: PlannedDeletion[] = removed
    .map((item) => ({
      repository: item.repository,
      digest: item.node.digest,
      tags: item.tags.sort(),
      level: item.level,
      parents: item.parents,
      reclaimableBytes: bytes.perManifest.get(item.node) ?? 0,
    }))
    .sort((a, b) => a.level - b.level || (a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : 0));
  // sized once: a plan's entries run to hundreds of thousands
  const entries = new Array<PlanEntry>(results.reduce((sum, result) => sum + result.plan.entries.length, 0));
  const tags = { kept: 0, removed: 0 };
  let next = 0;
  for (const result of results) {
    for (const entry of result.plan.entries) {
      entries[next++] = entry;
      if (entry.tag !== undefined) tags[entry.action === 'keep' ? 'kept' : 'removed']++;
    }
  }
  return {
    createdAt: new Date(now).toISOString(),
    registry: options.client.baseUrl,
    entries,
    deletions,
    tagDeletions: results.flatMap((result) => result.plan.tagDeletions),
    reclaimableBytes: bytes.total,
    summary: {
      repositories: results.length,
      untouchedRepositories: results.filter((result) => !result.touched).length,
      tags,
      manifests: {
        kept: results.reduce((sum, result) => sum + result.plan.kept.length, 0),
        removed: removed.length,
      },
    },
  };
}
