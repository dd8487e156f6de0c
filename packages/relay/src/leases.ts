/** One consumer's lease on one partition of a group. */
export interface Lease {
  consumer: string;
  expiresAt: number;
}

/**
 * The share of partitions a consumer should hold: ceil(partitions / live members). Everyone
 * converges on it: a consumer above its share gives the highest partitions back, one below takes
 * free ones, so a new member gets work within a heartbeat or two and a dead one's lapse.
 */
export function fairShare(partitions: number, members: number): number {
  return Math.ceil(partitions / Math.max(1, members));
}

/** Balances the leases of one group in place (the memory log's version of the Redis log's script) and returns what `consumer` holds. */
export function balanceLeases(leases: (Lease | undefined)[], members: Map<string, number>, consumer: string, ttlMs: number, now: number): number[] {
  members.set(consumer, now + ttlMs);
  for (const [member, expiresAt] of members) if (expiresAt <= now) members.delete(member);
  const share = fairShare(leases.length, members.size);
  const owned: number[] = [];
  for (const [partition, lease] of leases.entries()) {
    if (lease?.consumer !== consumer || lease.expiresAt <= now) continue;
    if (owned.length < share) {
      lease.expiresAt = now + ttlMs;
      owned.push(partition);
    } else {
      leases[partition] = undefined;
    }
  }
  for (let partition = 0; partition < leases.length && owned.length < share; partition++) {
    const lease = leases[partition];
    if (lease && lease.expiresAt > now) continue;
    leases[partition] = { consumer, expiresAt: now + ttlMs };
    owned.push(partition);
  }
  return owned.sort((a, b) => a - b);
}
