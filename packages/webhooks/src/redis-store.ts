import type { DedupeStore } from './dedupe.js';
import { WebhookConfigError } from './errors.js';

/** The one method this store needs from a node-redis (v4+) client. */
export interface NodeRedisLike {
  sendCommand(args: string[]): Promise<unknown>;
}

/** The one method this store needs from an ioredis client. */
export interface IoRedisLike {
  call(command: string, ...args: string[]): Promise<unknown>;
}

/** Sends one command as its words (`['SET', key, value]`) and resolves to the raw reply. */
export type RedisCommand = (args: string[]) => Promise<unknown>;

/** The one way the packages send a Redis command, whichever client they were given (node-redis `sendCommand`, ioredis `call`); `undefined` for anything else. */
export function redisCommandOf(client: unknown): RedisCommand | undefined {
  const candidate = client as Partial<NodeRedisLike & IoRedisLike> | undefined;
  if (typeof candidate?.sendCommand === 'function') return (args) => (client as NodeRedisLike).sendCommand(args);
  if (typeof candidate?.call === 'function') return ([name, ...args]) => (client as IoRedisLike).call(name as string, ...args);
  return undefined;
}

export interface RedisDedupeStoreOptions {
  /** A connected node-redis or ioredis client; the store never opens or closes it. */
  client: NodeRedisLike | IoRedisLike;
  /** Prefix of every key. Default `regevents:webhooks:`. */
  keyPrefix?: string;
}

const DONE = 'done';
const LEASE = 'lease:';

/** Deletes a lease only while it is still ours: a lapsed lease may belong to another receiver now. */
const RELEASE_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * A store shared by every receiver that uses the same Redis: `SET NX PX` makes the claim atomic,
 * and the lease expiry (PX) frees the id if a receiver dies holding it.
 */
export function createRedisDedupeStore(options: RedisDedupeStoreOptions): DedupeStore {
  const command = redisCommandOf(options?.client);
  if (!command) throw new WebhookConfigError('createRedisDedupeStore needs { client }: a node-redis or ioredis client');
  const prefix = options.keyPrefix ?? 'regevents:webhooks:';
  const key = (id: string) => `${prefix}${id}`;

  return {
    async claim(id, leaseMs) {
      // two rounds: a lease can lapse between our SET and our GET
      for (let round = 0; round < 2; round++) {
        const token = `${LEASE}${crypto.randomUUID()}`;
        const set = await command(['SET', key(id), token, 'NX', 'PX', String(Math.max(1, Math.ceil(leaseMs)))]);
        if (set === 'OK') return { status: 'claimed', token };
        const current = await command(['GET', key(id)]);
        if (current === DONE) return { status: 'done' };
        if (current !== null && current !== undefined) return { status: 'in-flight' };
      }
      return { status: 'in-flight' };
    },
    async complete(id, _token, ttlMs) {
      await command(['SET', key(id), DONE, 'PX', String(Math.max(1, Math.ceil(ttlMs)))]);
    },
    async release(id, token) {
      await command(['EVAL', RELEASE_SCRIPT, '1', key(id), token]);
    },
  };
}
