import { emptyUsage, pulledManifest, pulledTag, pushedManifest, pushedTag, type RepositoryUsage, type UsageStore } from './model.js';

/** A snapshot the caller may keep; forEach, not `new Map(map)`, which makes an entry array per key (plans read every tag). */
function copyOf<K, V>(map: Map<K, V>): Map<K, V> {
  const copy = new Map<K, V>();
  map.forEach((value, key) => copy.set(key, value));
  return copy;
}

/** Usage in this process's memory: for tests, and for a plan fed from a replayed log. */
export function createMemoryUsageStore(): UsageStore {
  const repositories = new Map<string, RepositoryUsage>();
  const usageOf = (repository: string): RepositoryUsage => {
    let usage = repositories.get(repository);
    if (!usage) repositories.set(repository, (usage = emptyUsage()));
    return usage;
  };
  return {
    async recordPush(repository, push) {
      const usage = usageOf(repository);
      usage.manifests.set(push.digest, pushedManifest(usage.manifests.get(push.digest), push));
      if (push.tag !== undefined) usage.tags.set(push.tag, pushedTag(usage.tags.get(push.tag), push.tag, push));
    },
    async recordPull(repository, pull) {
      const usage = usageOf(repository);
      usage.manifests.set(pull.digest, pulledManifest(usage.manifests.get(pull.digest), pull));
      if (pull.tag !== undefined) usage.tags.set(pull.tag, pulledTag(usage.tags.get(pull.tag), pull.tag, pull));
    },
    async recordDelete(repository, deleted) {
      const usage = usageOf(repository);
      if (deleted.tag !== undefined) usage.tags.delete(deleted.tag);
      else usage.manifests.delete(deleted.digest);
    },
    async repository(repository) {
      const usage = repositories.get(repository);
      return usage ? { manifests: copyOf(usage.manifests), tags: copyOf(usage.tags) } : emptyUsage();
    },
    async repositories() {
      return [...repositories.keys()];
    },
  };
}
