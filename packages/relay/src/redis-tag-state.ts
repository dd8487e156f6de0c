import type { RedisCommand } from './redis-command.js';
import { decodeEntry, type TagState } from './tag-state.js';

/** Every field of a hash, `[field, value, ...]` as HGETALL answers, into a Map (a tag may be named `__proto__`). */
async function hashOf<T>(command: RedisCommand, key: string, valueOf: (value: string) => T): Promise<Map<string, T>> {
  const reply = (await command(['HGETALL', key])) as string[];
  const fields = new Map<string, T>();
  for (let i = 0; i + 1 < reply.length; i += 2) fields.set(String(reply[i]), valueOf(String(reply[i + 1])));
  return fields;
}

/**
 * The Redis log's tag state, read side (the append script writes it): one hash per repository
 * (tag → digest), one of change times per repository (tag → server ms) and one set of
 * repositories per partition, walked with SSCAN so a large registry is never read at once.
 */
export function createRedisTagState(command: RedisCommand, keysOf: (repository: string) => { hash: string; changes: string }, sets: readonly string[]): TagState {
  return {
    async get(repository, tag) {
      const value = await command(['HGET', keysOf(repository).hash, tag]);
      return typeof value === 'string' ? decodeEntry(value) : undefined;
    },
    tags: (repository) => hashOf(command, keysOf(repository).hash, decodeEntry),
    changedAt: (repository) => hashOf(command, keysOf(repository).changes, Number),
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
