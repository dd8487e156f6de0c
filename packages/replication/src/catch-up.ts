import { compileArtifactSelector } from '@regevents/config';
import { collectTags, forEachConcurrent, type RegistryClient } from '@regevents/registry-client';
import type { ReplicationPolicy, ReplicationTarget } from './policy.js';
import { targetRepository } from './repository.js';

/** A tag the target lacks, or holds at another digest. */
export interface MissingTag {
  repository: string;
  tag: string;
  digest: string;
  /** The target's digest for that tag, when it has one. */
  targetDigest?: string;
}

export interface CompareOptions {
  /** HEAD requests in flight. Default 8. */
  concurrency?: number;
  signal?: AbortSignal;
}

/**
 * What the target is missing for one policy: the source's catalog and tags (filtered by the
 * policy), each tag's digest by HEAD on both sides. This is the client-side comparison that
 * `reconcile()` of the relay (issue #16) will replace: the same question asked of the relay's
 * state instead of the source registry.
 */
export async function findMissingTags(policy: ReplicationPolicy, target: ReplicationTarget, clients: { source: RegistryClient; destination: RegistryClient }, options: CompareOptions = {}): Promise<MissingTag[]> {
  const matcher = compileArtifactSelector(policy.source);
  const { signal } = options;
  const candidates: { repository: string; tag: string }[] = [];
  for await (const repository of clients.source.catalog({ signal })) {
    if (!matcher.repository(repository)) continue;
    for (const tag of await collectTags(clients.source, repository, { signal })) if (matcher.matches(repository, tag)) candidates.push({ repository, tag });
  }
  const missing: MissingTag[] = [];
  await forEachConcurrent(candidates, options.concurrency ?? 8, signal, async ({ repository, tag }, lane) => {
    const [sourceDigest, targetDigest] = await Promise.all([
      clients.source.headManifest(repository, tag, { signal: lane }),
      clients.destination.headManifest(targetRepository(target, repository), tag, { signal: lane }),
    ]);
    if (!sourceDigest || sourceDigest.digest === targetDigest?.digest) return;
    if (targetDigest && (!policy.overwrite || target.platforms)) return;
    missing.push(targetDigest ? { repository, tag, digest: sourceDigest.digest, targetDigest: targetDigest.digest } : { repository, tag, digest: sourceDigest.digest });
  });
  return missing.sort((a, b) => (a.repository === b.repository ? a.tag.localeCompare(b.tag) : a.repository.localeCompare(b.repository)));
}
