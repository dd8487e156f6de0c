import { luaScript, type RedisCommand } from './redis-command.js';
import { TAGS_WITH_AGES } from './redis-scripts.js';
import { decodeEntry, type TagState } from './tag-state.js';

/** `[field, value, ...]` as HGETALL answers, into a Map (a tag may be named `__proto__`). */
function fieldsOf<T>(reply: unknown, valueOf: (value: string) => T): Map<string, T> {
  const list = reply as unknown[];
  const fields = new Map<string, T>();
  for (let i = 0; i + 1 < list.length; i += 2) fields.set(String(list[i]), valueOf(String(list[i + 1])));
  return fields;
}

/**
 * The Redis log's tag state, read side (the append script writes it): one hash per repository
 * (tag → digest), one of change times per repository (tag → server ms, read as ages on the
 * server's clock) and one set of repositories per partition, walked with SSCAN so a large
 * registry is never read at once.
 */
export function createRedisTagState(command: RedisCommand, keysOf: (repository: string) => { hash: string; changes: string }, sets: readonly string[]): TagState {
  const tagsWithAges = luaScript(command, TAGS_WITH_AGES, (reply) => {
    const [tags, ages] = reply as [unknown, unknown];
    return { tags: fieldsOf(tags, decodeEntry), ages: fieldsOf(ages, Number) };
  });
  return {
    async get(repository, tag) {
      const value = await command(['HGET', keysOf(repository).hash, tag]);
      return typeof value === 'string' ? decodeEntry(value) : undefined;
    },
    tags: async (repository) => fieldsOf(await command(['HGETALL', keysOf(repository).hash]), decodeEntry),
    tagsWithAges: (repository) => {
      const keys = keysOf(repository);
      return tagsWithAges([keys.hash, keys.changes], []);
    },
    async *repositories() {
      for (const set of sets) {
        let cursor = '0';
        do {
          const [next, members] = (await command(['SSCAN', set, cursor, 'COUNT', '500'])) as [string, string[]];
          cursor = String(next);
          yield* members.map(String);
        } while (cursor !== '0');
      }
    },
  };
}
