import { collectTags, type RegistryClient } from '@regevents/registry-client';
import { LRUCache } from 'lru-cache';
import pLimit from 'p-limit';

export interface LookupOptions {
  /** Registry requests in flight at once, across events. Default 4. */
  concurrency?: number;
  /** Tag digests remembered (per registry, repository and tag). Default 1,000. */
  cacheSize?: number;
  /** How long a tag's digest is remembered: a tag may move, so briefly. Default 10 s. */
  cacheMs?: number;
  /** Most tags read (each a manifest HEAD) when looking for the tags naming a digest. Default 100. */
  maxTags?: number;
}

/** The tags of a repository that name a digest; `undefined` when the repository has more than `maxTags` tags to read. */
export type TagsNaming = string[] | undefined;

/**
 * The registry reads enrichment makes, bounded: at most `concurrency` requests at once, each
 * tag's digest remembered for a moment (Quay's push of several tags, Harbor events of one
 * repository, share their reads). Every HEAD is a pull event on the registry: give the client a
 * User-Agent of its own.
 */
export function createRegistryLookups(options: LookupOptions = {}) {
  const limit = pLimit(options.concurrency ?? 4);
  const maxTags = options.maxTags ?? 100;
  const digests = new LRUCache<string, string>({ max: options.cacheSize ?? 1000, ttl: options.cacheMs ?? 10_000 });

  /** The digest `tag` names now; `undefined` when the registry has no such tag. */
  async function digestOf(client: RegistryClient, repository: string, tag: string, signal: AbortSignal): Promise<string | undefined> {
    const key = `${client.baseUrl} ${repository}:${tag}`;
    const known = digests.get(key);
    if (known !== undefined) return known;
    const manifest = await limit(() => client.headManifest(repository, tag, { signal }));
    if (manifest) digests.set(key, manifest.digest);
    return manifest?.digest;
  }

  async function tagsNaming(client: RegistryClient, repository: string, digest: string, signal: AbortSignal): Promise<TagsNaming> {
    const tags = await limit(() => collectTags(client, repository, { signal }));
    if (tags.length > maxTags) return undefined;
    const named = await Promise.all(tags.map(async (tag) => ((await digestOf(client, repository, tag, signal)) === digest ? [tag] : [])));
    return named.flat();
  }

  return { digestOf, tagsNaming, maxTags };
}

export type RegistryLookups = ReturnType<typeof createRegistryLookups>;
