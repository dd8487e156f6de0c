import type { ClaimResult, IoRedisLike, NodeRedisLike } from '@regevents/webhooks';
import { RelayConfigError } from './errors.js';
import type { AppendResult, DeadLetter, Delivery, GroupStats, RelayLog, Retention } from './log.js';
import { positiveInteger } from './memory-log.js';
import { encodeEntry, tagChangeOf } from './tag-state.js';
import { appendKey, comparePositions, decodeRecord, encodeRecord, partitionOf, type LogEntry, type LogRecord } from './record.js';
import { errorCode, luaScript, pairs, redisCommand } from './redis-command.js';
import { createRedisTagState } from './redis-tag-state.js';
import { ACK, APPEND, CLAIM, DEAD_LETTER, LEASE, RELEASE, RELEASE_CLAIM } from './redis-scripts.js';

export interface RedisLogOptions {
  /** A connected node-redis (v4+) or ioredis client; the log never opens or closes it. */
  client: NodeRedisLike | IoRedisLike;
  /** Name the keys start with. Default `regevents:relay`. */
  stream?: string;
  /**
   * Streams to spread the log over, by repository (each in its own Redis Cluster hash slot).
   * Per-repository order holds whatever the number; a consumer group runs at most this many
   * consumers at once. Default 1. Changing it later moves repositories between streams.
   */
  partitions?: number;
  retention?: Retention;
  /** How long an event id is remembered for idempotent appends. Default 24 h. */
  idempotencyMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

type StreamEntry = [string, string[]];

/** The value of `field` in a stream entry's `[field, value, ...]`. */
function fieldOf(fields: readonly unknown[], field: string): unknown {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === field) return fields[i + 1];
  return undefined;
}

/** The entries of a stream reply, each given `failures` (read: 0; claimed: filled in after). Entries XAUTOCLAIM found deleted come as null: skipped. */
function deliveriesOf(reply: unknown, partition: number): Delivery[] {
  const deliveries: Delivery[] = [];
  if (!Array.isArray(reply)) return deliveries;
  for (const item of reply as (StreamEntry | null)[]) {
    if (!Array.isArray(item) || !Array.isArray(item[1])) continue;
    deliveries.push({ position: item[0], partition, record: decodeRecord(fieldOf(item[1], 'record')), failures: 0 });
  }
  return deliveries;
}

/** The APPEND script's answer: the new entry's id, or the first copy's in a one-element array. */
function appendResult(reply: unknown): AppendResult {
  return Array.isArray(reply) ? { position: String(reply[0]), duplicate: true } : { position: String(reply), duplicate: false };
}

/**
 * The durable log on Redis Streams (Redis 7+). Keys, for stream S and partition p: the stream
 * `{S:p}`, appended event ids `{S:p}:id:<key>`, failure counts `{S:p}:failures:<group>`, dead
 * letters `{S:p}:dead:<group>`, the record of handled events `{S:p}:handled:<group>` (a hash: event
 * key → claim or done, each with its expiry) and its previous generation `{S:p}:handled:<group>:previous`
 * (see redis-scripts.ts); leases in `{S:leases}:<group>:*`;
 * the tag state in `{S:p}:tags` (the partition's repositories), `{S:p}:tags:<repository>` (tag → digest)
 * and `{S:p}:tag-changes:<repository>` (tag → the server time, ms, of its last real push).
 */
export function createRedisLog(options: RedisLogOptions): RelayLog {
  const command = redisCommand(options?.client, 'createRedisLog');
  const stream = options.stream ?? 'regevents:relay';
  if (typeof stream !== 'string' || stream === '' || /[{}]/.test(stream)) throw new RelayConfigError('stream must be a non-empty name without braces');
  const partitionCount = positiveInteger(options.partitions, 1, 'partitions');
  const maxLength = options.retention?.maxLength === undefined ? undefined : positiveInteger(options.retention.maxLength, 1, 'retention.maxLength');
  const maxAgeMs = options.retention?.maxAgeMs;
  if (maxAgeMs !== undefined && !(maxAgeMs > 0)) throw new RelayConfigError('retention.maxAgeMs must be a positive number');
  const idempotencyMs = positiveInteger(options.idempotencyMs, DAY_MS, 'idempotencyMs');
  const idempotencyArg = String(idempotencyMs);
  const maxLengthArg = maxLength === undefined ? '' : String(maxLength);

  const streamKey = (partition: number) => `{${stream}:${partition}}`;
  const failuresKey = (group: string, partition: number) => `${streamKey(partition)}:failures:${group}`;
  const deadKey = (group: string, partition: number) => `${streamKey(partition)}:dead:${group}`;
  // the record of handled events: its current generation, then the previous one
  const handledKeys = (group: string, partition: number) => {
    const current = `${streamKey(partition)}:handled:${group}`;
    return [current, `${current}:previous`];
  };
  const leaseKeys = (group: string) => [`{${stream}:leases}:${group}:members`, ...Array.from({ length: partitionCount }, (_, p) => `{${stream}:leases}:${group}:${p}`)];
  const all = Array.from({ length: partitionCount }, (_, p) => p);
  const streamKeys = all.map(streamKey);
  // in the repository's partition's hash slot, so the append script may touch them in a Redis Cluster;
  // the script reads the repository back from the hash's name
  const tagSets = streamKeys.map((key) => `${key}:tags`);
  const tagHash = (set: string, repository: string) => `${set}:${repository}`;
  const changesHash = (partition: number, repository: string) => `${streamKeys[partition] as string}:tag-changes:${repository}`;
  const tagKeys = (repository: string) => {
    const partition = partitionOf(repository, partitionCount);
    return { hash: tagHash(tagSets[partition] as string, repository), changes: changesHash(partition, repository) };
  };
  const append = luaScript(command, APPEND, appendResult);
  const ack = luaScript(command, ACK);
  const deadLetter = luaScript(command, DEAD_LETTER);
  const lease = luaScript(command, LEASE);
  const release = luaScript(command, RELEASE);
  const claimEvents = luaScript(command, CLAIM);
  const releaseClaim = luaScript(command, RELEASE_CLAIM);
  // a claim's token need only differ from every other claimant's: a random prefix per log, then a count per batch
  const leasePrefix = crypto.randomUUID();
  let leases = 0;
  const leaseMsOf = (ms: number) => String(Math.max(1, Math.ceil(ms)));
  // the scripts answer a claim with a letter: c(laimed), d(one), i(n-flight); answers are shared, not one object per event
  const done: ClaimResult = { status: 'done' };
  const inFlight: ClaimResult = { status: 'in-flight' };

  async function withFailures(group: string, deliveries: Delivery[]): Promise<Delivery[]> {
    const first = deliveries[0];
    if (!first) return [];
    const counts = (await command(['HMGET', failuresKey(group, first.partition), ...deliveries.map((delivery) => delivery.position)])) as (string | null)[];
    deliveries.forEach((delivery, index) => (delivery.failures = Number(counts[index] ?? 0)));
    return deliveries;
  }

  async function groupInfo(group: string, partition: number): Promise<Record<string, unknown> | undefined> {
    let reply: unknown;
    try {
      reply = await command(['XINFO', 'GROUPS', streamKey(partition)]);
    } catch (error) {
      if (String((error as Error).message).includes('no such key')) return undefined;
      throw error;
    }
    return (reply as unknown[]).map(pairs).find((info) => info.name === group);
  }

  async function lagOf(info: Record<string, unknown>, partition: number): Promise<number> {
    // Redis leaves lag unset after deletions it cannot account for: count what is past the group's last delivered id
    if (info.lag !== null && info.lag !== undefined) return Number(info.lag);
    const after = (await command(['XRANGE', streamKey(partition), `(${String(info['last-delivered-id'])}`, '+'])) as unknown[];
    return after.length;
  }

  const log: RelayLog = {
    partitions: partitionCount,
    name: `redis log ${stream} (${partitionCount} partition${partitionCount === 1 ? '' : 's'})`,
    append(record: LogRecord): Promise<AppendResult> {
      const partition = partitionOf(record.repository, partitionCount);
      const key = streamKeys[partition] as string;
      const idKey = `${key}:id:${appendKey(record)}`;
      const text = encodeRecord(record);
      const minId = maxAgeMs === undefined ? '' : `${Date.now() - maxAgeMs}-0`;
      const change = tagChangeOf(record);
      if (!change) return append([key, idKey], [text, idempotencyArg, maxLengthArg, minId]);
      const set = tagSets[partition] as string;
      return append([key, idKey, tagHash(set, change.repository), set, changesHash(partition, change.repository)], [text, idempotencyArg, maxLengthArg, minId, change.tag, encodeEntry(change)]);
    },
    async createGroup(group, start) {
      for (const partition of all) {
        try {
          await command(['XGROUP', 'CREATE', streamKey(partition), group, start === 'now' ? '$' : '0', 'MKSTREAM']);
        } catch (error) {
          if (errorCode(error) !== 'BUSYGROUP') throw error;
        }
      }
    },
    async read(group, consumer, partition, count) {
      const reply = (await command(['XREADGROUP', 'GROUP', group, consumer, 'COUNT', String(count), 'STREAMS', streamKey(partition), '>'])) as [string, unknown][] | null;
      return deliveriesOf(reply?.[0]?.[1], partition);
    },
    async claim(group, consumer, partition, cursor, count) {
      const [next, claimed] = (await command(['XAUTOCLAIM', streamKey(partition), group, consumer, '0', cursor, 'COUNT', String(count)])) as [string, unknown];
      return { deliveries: await withFailures(group, deliveriesOf(claimed, partition)), cursor: String(next) };
    },
    async claimEvents(group, partition, claims, leaseMs) {
      if (claims.length === 0) return [];
      // new claims are held by the batch's token: a batch of them sends no token at all
      const batch = `lease:${leasePrefix}:${++leases}`;
      const tokens = claims.some((claim) => claim.token !== undefined) ? claims.map((claim) => claim.token ?? '') : [];
      const statuses = String(await claimEvents(handledKeys(group, partition), [leaseMsOf(leaseMs), batch, String(claims.length), ...claims.map((claim) => claim.key), ...tokens]));
      const claimed: ClaimResult = { status: 'claimed', token: batch };
      return claims.map((claim, index) => {
        const status = statuses[index];
        if (status !== 'c') return status === 'd' ? done : inFlight;
        return claim.token ? { status: 'claimed', token: claim.token } : claimed;
      });
    },
    async releaseEvent(group, partition, key, token) {
      await releaseClaim(handledKeys(group, partition), [key, token]);
    },
    async ack(group, partition, positions, handled) {
      if (positions.length === 0) return;
      await ack([...handledKeys(group, partition), streamKey(partition), failuresKey(group, partition)], [group, leaseMsOf(handled?.ttlMs ?? 1), String(positions.length), ...positions, ...(handled?.keys ?? [])]);
    },
    async recordFailure(group, partition, position) {
      return Number(await command(['HINCRBY', failuresKey(group, partition), position, '1']));
    },
    async deadLetter(group, delivery, error) {
      const { partition, position, record } = delivery;
      const attempts = String(Math.max(delivery.failures, 1));
      await deadLetter([streamKey(partition), failuresKey(group, partition), deadKey(group, partition)], [group, position, encodeRecord(record), error, attempts, new Date().toISOString()]);
    },
    async listDeadLetters(group, count) {
      const letters: DeadLetter[] = [];
      for (const partition of all) {
        const reply = (await command(['XRANGE', deadKey(group, partition), '-', '+', 'COUNT', String(count)])) as StreamEntry[];
        for (const [id, fields] of reply) {
          const item = pairs(fields);
          letters.push({ id, partition, position: String(item.position), record: decodeRecord(item.record), error: String(item.error), attempts: Number(item.attempts), deadAt: String(item.deadAt) });
        }
      }
      return letters.sort((a, b) => comparePositions(a.id, b.id)).slice(0, count);
    },
    async dropDeadLetter(group, partition, id) {
      return Number(await command(['XDEL', deadKey(group, partition), id])) === 1;
    },
    async lease(group, consumer, ttlMs) {
      const owned = (await lease(leaseKeys(group), [consumer, String(Math.ceil(ttlMs))])) as number[];
      return owned.map(Number).sort((a, b) => a - b);
    },
    async releaseLeases(group, consumer) {
      await release(leaseKeys(group), [consumer]);
    },
    async range(partition, { from, to, count }) {
      const entries = deliveriesOf(await command(['XRANGE', streamKey(partition), from, to, 'COUNT', String(count)]), partition);
      return entries.map(({ position, record }): LogEntry => ({ position, partition, record }));
    },
    async groupStats(group): Promise<GroupStats> {
      const stats: GroupStats = { lag: 0, pending: 0, deadLetters: 0 };
      for (const partition of all) {
        const info = await groupInfo(group, partition);
        if (!info) throw new RelayConfigError(`no consumer group ${JSON.stringify(group)} in ${log.name}`);
        stats.lag += await lagOf(info, partition);
        stats.pending += Number(info.pending ?? 0);
        stats.deadLetters += Number(await command(['XLEN', deadKey(group, partition)]));
      }
      return stats;
    },
    async groups() {
      const reply = await command(['XINFO', 'GROUPS', streamKey(0)]).catch((error: unknown) => {
        if (String((error as Error).message).includes('no such key')) return [];
        throw error;
      });
      return (reply as unknown[]).map((item) => String(pairs(item).name));
    },
    tagState: createRedisTagState(command, tagKeys, tagSets),
  };
  return log;
}
