import { emptyUsage, pulledManifest, pulledTag, pushedManifest, pushedTag, type ManifestUsage, type RepositoryUsageDraft, type TagUsage, type UsageStore } from './model.js';

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

/**
 * The tag, fresh from `pushedTag` or `pulledTag`, holding its manifest's own digest string: every
 * event brings its own copy, and a shared one costs no memory and compares by identity.
 */
function sharingDigest(tag: TagUsage, manifest: ManifestUsage): TagUsage {
  if (tag.digest === manifest.digest) tag.digest = manifest.digest;
  return tag;
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
      const manifest = pushedManifest(usage.manifests.get(push.digest), push);
      usage.manifests.set(push.digest, manifest);
      if (push.tag !== undefined) usage.tags.set(push.tag, sharingDigest(pushedTag(usage.tags.get(push.tag), push.tag, push), manifest));
    },
    async recordPull(repository, pull) {
      const usage = writable(repository);
      const manifest = pulledManifest(usage.manifests.get(pull.digest), pull);
      usage.manifests.set(pull.digest, manifest);
      if (pull.tag !== undefined) usage.tags.set(pull.tag, sharingDigest(pulledTag(usage.tags.get(pull.tag), pull.tag, pull), manifest));
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
