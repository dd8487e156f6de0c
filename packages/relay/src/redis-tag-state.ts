import type { RedisCommand } from './redis-command.js';
import { decodeEntry, type TagState, type TagStateEntry } from './tag-state.js';

/**
 * The Redis log's tag state, read side (the append script writes it): one hash per repository
 * (tag → digest) and one set of repositories per partition, walked with SSCAN so a large
 * registry is never read at once.
 */
export function createRedisTagState(command: RedisCommand, keysOf: (repository: string) => { hash: string }, sets: readonly string[]): TagState {
  return {
    async get(repository, tag) {
      const value = await command(['HGET', keysOf(repository).hash, tag]);
      return typeof value === 'string' ? decodeEntry(value) : undefined;
    },
    async tags(repository) {
      // field by field into a Map: a tag may be named `__proto__`
      const reply = (await command(['HGETALL', keysOf(repository).hash])) as string[];
      const tags = new Map<string, TagStateEntry>();
      for (let i = 0; i + 1 < reply.length; i += 2) tags.set(String(reply[i]), decodeEntry(String(reply[i + 1])));
      return tags;
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
