import { emptyUsage, pulledManifest, pulledTag, pushedManifest, pushedTag, type RepositoryUsageDraft, type UsageStore } from './model.js';

/**
 * One repository's usage, copied on write: `repository()` hands out the live maps as a snapshot
 * and the next record copies them first, so a snapshot never changes and a plan that only reads
 * (every tag of every repository) copies nothing. Records replace entries, never change them.
 */
interface Held {
  usage: RepositoryUsageDraft;
  shared: boolean;
}

/** forEach, not `new Map(map)`, which makes an entry array per key. */
function copyOf<K, V>(map: Map<K, V>): Map<K, V> {
  const copy = new Map<K, V>();
  map.forEach((value, key) => copy.set(key, value));
  return copy;
}

/** Usage in this process's memory: for tests, and for a plan fed from a replayed log. */
export function createMemoryUsageStore(): UsageStore {
  const repositories = new Map<string, Held>();
  const writable = (repository: string): RepositoryUsageDraft => {
    const held = repositories.get(repository);
    if (!held) {
      const usage = emptyUsage();
      repositories.set(repository, { usage, shared: false });
      return usage;
    }
    if (held.shared) held.usage = { manifests: copyOf(held.usage.manifests), tags: copyOf(held.usage.tags) };
    held.shared = false;
    return held.usage;
  };
  return {
    async recordPush(repository, push) {
      const usage = writable(repository);
      usage.manifests.set(push.digest, pushedManifest(usage.manifests.get(push.digest), push));
      if (push.tag !== undefined) usage.tags.set(push.tag, pushedTag(usage.tags.get(push.tag), push.tag, push));
    },
    async recordPull(repository, pull) {
      const usage = writable(repository);
      usage.manifests.set(pull.digest, pulledManifest(usage.manifests.get(pull.digest), pull));
      if (pull.tag !== undefined) usage.tags.set(pull.tag, pulledTag(usage.tags.get(pull.tag), pull.tag, pull));
    },
    async recordDelete(repository, deleted) {
      const usage = writable(repository);
      if (deleted.tag !== undefined) usage.tags.delete(deleted.tag);
      else usage.manifests.delete(deleted.digest);
    },
    async repository(repository) {
      const held = repositories.get(repository);
      if (!held) return emptyUsage();
      held.shared = true;
      return held.usage;
    },
    async repositories() {
      return [...repositories.keys()];
    },
  };
}
