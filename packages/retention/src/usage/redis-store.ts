import type { IoRedisLike, NodeRedisLike } from '@regevents/webhooks';
import { luaScript, redisCommand } from '@regevents/relay';
import { UsageConflictError } from '../errors.js';
import { emptyUsage, pulledManifest, pulledTag, pushedManifest, pushedTag, type ManifestUsage, type TagUsage, type UsageStore } from './model.js';

export interface RedisUsageStoreOptions {
  /** A connected node-redis (v4+) or ioredis client (the relay's); the store never opens or closes it. */
  client: NodeRedisLike | IoRedisLike;
  /** Name the keys start with. Default `regevents:usage`. */
  prefix?: string;
}

/**
 * Writes fields only while they still hold what the caller read (compare-and-set over a hash), so the
 * merge rules stay in one place, in TypeScript, and concurrent consumers never lose an update.
 * ARGV is (field, expected, next) triples; an empty `next` deletes the field.
 */
const COMPARE_AND_SET = `
for i = 1, #ARGV, 3 do
  if (redis.call('HGET', KEYS[1], ARGV[i]) or '') ~= ARGV[i + 1] then return 0 end
end
for i = 1, #ARGV, 3 do
  if ARGV[i + 2] == '' then redis.call('HDEL', KEYS[1], ARGV[i]) else redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2]) end
end
return 1`;

const MAX_ATTEMPTS = 20;
const MANIFEST = 'm:';
const TAG = 't:';

type Update = {
  field: string;
  next: (current: string | undefined) => string | undefined;
};

/**
 * Usage in Redis: one hash per repository, `<prefix>:{<repository>}` (one Cluster slot per
 * repository), fields `m:<digest>` and `t:<tag>` holding JSON; the set `<prefix>:repositories`.
 */
export function createRedisUsageStore(options: RedisUsageStoreOptions): UsageStore {
  const command = redisCommand(options?.client, 'createRedisUsageStore');
  const compareAndSetScript = luaScript(command, COMPARE_AND_SET);
  const prefix = options.prefix ?? 'regevents:usage';
  const keyOf = (repository: string) => `${prefix}:{${repository}}`;
  const repositoriesKey = `${prefix}:repositories`;

  // updates of one repository from this process wait for each other, so compare-and-set only ever
  // races other processes (rare: the relay hands a repository to one consumer at a time)
  const queues = new Map<string, Promise<unknown>>();
  function update(repository: string, updates: Update[]): Promise<void> {
    const previous = queues.get(repository) ?? Promise.resolve();
    const next = previous.then(
      () => compareAndSet(repository, updates),
      () => compareAndSet(repository, updates),
    );
    queues.set(repository, next);
    void next.finally(() => queues.get(repository) === next && queues.delete(repository)).catch(() => undefined);
    return next;
  }

  async function compareAndSet(repository: string, updates: Update[]): Promise<void> {
    const key = keyOf(repository);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      const current = (await command(['HMGET', key, ...updates.map((item) => item.field)])) as (string | null)[];
      const args = updates.flatMap((item, index) => {
        const before = current[index] ?? undefined;
        return [item.field, before ?? '', item.next(before) ?? ''];
      });
      if (Number(await compareAndSetScript([key], args)) === 1) {
        await command(['SADD', repositoriesKey, repository]);
        return;
      }
    }
    throw new UsageConflictError(`usage of ${repository} changed under ${MAX_ATTEMPTS} attempts to update it`);
  }

  const parse = <T>(text: string | undefined): T | undefined => (text ? (JSON.parse(text) as T) : undefined);
  const manifestField = (digest: string): string => MANIFEST + digest;

  /** One update of a manifest's field and, for a record by tag, of the tag's: both or neither. */
  function recordBoth(repository: string, record: { digest: string; tag?: string }, manifestNext: (current: ManifestUsage | undefined) => ManifestUsage, tagNext: (current: TagUsage | undefined, tag: string) => TagUsage): Promise<void> {
    const updates: Update[] = [{ field: manifestField(record.digest), next: (text) => JSON.stringify(manifestNext(parse<ManifestUsage>(text))) }];
    const tag = record.tag;
    if (tag !== undefined) updates.push({ field: TAG + tag, next: (text) => JSON.stringify(tagNext(parse<TagUsage>(text), tag)) });
    return update(repository, updates);
  }

  return {
    recordPush: (repository, push) => recordBoth(repository, push, (current) => pushedManifest(current, push), (current, tag) => pushedTag(current, tag, push)),
    recordPull: (repository, pull) => recordBoth(repository, pull, (current) => pulledManifest(current, pull), (current, tag) => pulledTag(current, tag, pull)),
    async recordDelete(repository, deleted) {
      await command(['HDEL', keyOf(repository), deleted.tag !== undefined ? TAG + deleted.tag : manifestField(deleted.digest)]);
    },
    async repository(repository) {
      const usage = emptyUsage();
      const reply = (await command(['HGETALL', keyOf(repository)])) as string[] | Record<string, string>;
      const entries = Array.isArray(reply) ? Array.from({ length: reply.length / 2 }, (_, i) => [reply[2 * i], reply[2 * i + 1]] as const) : Object.entries(reply);
      for (const [field, text] of entries) {
        if (field === undefined || text === undefined) continue;
        if (field.startsWith(MANIFEST)) usage.manifests.set(field.slice(MANIFEST.length), JSON.parse(text) as ManifestUsage);
        else if (field.startsWith(TAG)) usage.tags.set(field.slice(TAG.length), JSON.parse(text) as TagUsage);
      }
      return usage;
    },
    async repositories() {
      return ((await command(['SMEMBERS', repositoriesKey])) as string[]).sort();
    },
  };
}
