/** The server's time in ms, as `now` (Lua numbers are doubles: exact for ms since the epoch). */
const NOW = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)`;

/**
 * How long a repository's change times outlive the last real write to them: an hour, 360 of the
 * default settle windows. The times matter only for a window of seconds, so a repository no real
 * event wrote for that long has none worth keeping, and its hash goes whole (no scan of its
 * fields); one written more often holds a field per tag a real event pushed, each removed with its
 * tag. A settleMs above this is cut to it for such quiet repositories.
 */
export const TAG_CHANGES_TTL_MS = 3_600_000;

/**
 * KEYS: stream, id key, then for a record with a tag change the repository's tag hash, the
 * partition's repository set (the hash's name is the set's, `:`, then the repository) and the
 * repository's hash of change times (tag → server ms). ARGV: record, id ttl ms, max length ('' for
 * none), min id ('' for none), then only for a tag change: the tag and its new entry (tag-state.ts's
 * encodeEntry: the digest, '' for a delete, `~` first for what reconciliation wrote). Appends once
 * per id key: answers the new entry's id, or `{id}` (a one-element array) with the first copy's for
 * a key appended before. The tag state changes with the append (tag-state.ts's applyTagChange):
 * reconciliation's entries are written as they come, without a time; a real event's is compared
 * with the hash's first, so a tag that keeps its digest writes no entry, and a delete of a tag the
 * hash does not hold deletes nothing. Every real push writes the server's time for its tag, one
 * that keeps the digest too (the registry sends it before it links the tag, which may be gone from
 * the registry meanwhile, its delete event lost: reconciliation leaves such a tag to settle instead
 * of deleting it), in a hash of its own (so the entries read as the previous version wrote them,
 * and a relay of that version, which knows nothing of the times, can share the Redis) that lives
 * TAG_CHANGES_TTL_MS from then; a real delete takes both, the time even where the entry is gone
 * already (such a relay deleted it and left the time). The repository joins the set when its hash
 * gains a tag (HSET answers 1; nothing removes repositories from it). The record arrives once:
 * its copy marked late is the same JSON object with `"reconciled":true` added last, so the
 * receiver neither encodes nor sends it twice. A real tag delete's record gains the
 * `deletedDigest` the hash held, spliced into its JSON text the same way.
 */
export const APPEND = `
local existing = redis.call('GET', KEYS[2])
if existing then return {existing} end
local record = ARGV[1]
local tag, entry = ARGV[5], ARGV[6]
local write = entry ~= nil
if write and string.byte(entry) ~= 126 then
  local known = redis.call('HGET', KEYS[3], tag)
  write = known ~= entry and entry ~= ''
  -- a delete takes the time also where the entry is gone: a relay of the previous version deleted it and left the time
  if entry == '' then
    redis.call('HDEL', KEYS[5], tag)
  else${NOW}
    redis.call('HSET', KEYS[5], tag, now)
    redis.call('PEXPIRE', KEYS[5], ${TAG_CHANGES_TTL_MS})
  end
  if known and known ~= entry then
    if known == '~' .. entry then record = string.sub(record, 1, -2) .. ',"reconciled":true}' end
    if entry == '' then
      redis.call('HDEL', KEYS[3], tag)
      local deleted = string.gsub(known, '^~', '')
      if deleted ~= '' and not string.find(record, '"deletedDigest":', 1, true) then record = string.sub(record, 1, -2) .. ',"deletedDigest":' .. cjson.encode(deleted) .. '}' end
    end
  end
elseif write then
  redis.call('HDEL', KEYS[5], tag)
end
if write and redis.call('HSET', KEYS[3], tag, entry) == 1 then redis.call('SADD', KEYS[4], string.sub(KEYS[3], #KEYS[4] + 2)) end
local id
if ARGV[3] ~= '' then
  id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'record', record)
else
  id = redis.call('XADD', KEYS[1], '*', 'record', record)
end
if ARGV[4] ~= '' then redis.call('XTRIM', KEYS[1], 'MINID', '~', ARGV[4]) end
redis.call('SET', KEYS[2], id, 'PX', ARGV[2])
return id`;

/**
 * KEYS: a repository's tag hash, then its hash of change times (tag → server ms), both in the
 * partition's slot. Answers `{[tag, entry, ...], [tag, age ms, ...]}`, read in one step (no append
 * between them), each time's age on the server's clock as it reads them, so the reader compares
 * no clock of its own with the server's. Writes nothing.
 */
export const TAGS_WITH_AGES = `${NOW}
local ages = redis.call('HGETALL', KEYS[2])
for i = 2, #ages, 2 do ages[i] = now - tonumber(ages[i]) end
return {redis.call('HGETALL', KEYS[1]), ages}`;

// The group's record of handled events is a hash per group and partition: event key → "<expires
// at, server ms> <holder>", the holder a claim's token or `done`. A batch claims or records its
// events with a few commands, not one key with a TTL each. The record lives in two generations,
// the current hash and the previous one (`:previous`): writes go to the current one, whose entries
// shadow the previous one's; each hash expires with its last entry, and once the previous one has
// gone so, the next write makes the current one the previous (once it holds GENERATION_MIN entries,
// about a megabyte: below that, lapsed entries cost less memory than a second lookup per claim costs time).
// Lapsed entries leave with their generation (no scan, no parsing of what is left), so the record
// holds up to about twice what the group handled within its dedupe TTL.

const GENERATION_MIN = 8192;

/**
 * Lua's unpack gives at most about 8000 values at once ("too many results to unpack"), and a batch
 * of acknowledgements has no such bound: `sliced` hands `list[from..to]` to `call` a thousand
 * values at a time (an even number, so key-value pairs stay whole) and joins their replies; a list
 * that fits in one call gets that call's reply as it is, an empty one no call (Redis refuses a
 * command with no arguments) and an empty table.
 */
const SLICED = `
local function sliced(list, from, to, call)
  if to < from then return {} end
  if to - from < 1000 then return call(unpack(list, from, to)) end
  local replies, n = {}, 0
  for first = from, to, 1000 do
    local reply = call(unpack(list, first, math.min(first + 999, to)))
    if type(reply) == 'table' then
      for i = 1, #reply do
        n = n + 1
        replies[n] = reply[i]
      end
    end
  end
  return replies
end`;

/** KEYS[1] and KEYS[2]: the current and previous generations. `write` records fields (key, value, ...) kept at least `ms`. */
const GENERATIONS = `${SLICED}
local function write(fields, ms)
  if redis.call('EXISTS', KEYS[2]) == 0 and redis.call('HLEN', KEYS[1]) >= ${GENERATION_MIN} then redis.call('RENAME', KEYS[1], KEYS[2]) end
  sliced(fields, 1, #fields, function(...) return redis.call('HSET', KEYS[1], ...) end)
  if redis.call('PTTL', KEYS[1]) < ms then redis.call('PEXPIRE', KEYS[1], ms) end
end`;

/**
 * KEYS: the handled hash, its previous generation, the stream, the failures hash. ARGV: group,
 * handled ttl ms, the number of positions, the positions, then the event keys to record as handled
 * (done until now + ttl).
 */
export const ACK = `${NOW}${GENERATIONS}
local positions = tonumber(ARGV[3])
sliced(ARGV, 4, positions + 3, function(...) return redis.call('XACK', KEYS[3], ARGV[1], ...) end)
if redis.call('EXISTS', KEYS[4]) == 1 then sliced(ARGV, 4, positions + 3, function(...) return redis.call('HDEL', KEYS[4], ...) end) end
if #ARGV == positions + 3 then return 1 end
local ttl = tonumber(ARGV[2])
local done = (now + ttl) .. ' done'
local record, n = {}, 0
for i = positions + 4, #ARGV do
  record[n + 1] = ARGV[i]
  record[n + 2] = done
  n = n + 2
end
write(record, ttl)
return 1`;

/**
 * KEYS: the handled hash, its previous generation. ARGV: lease ms, the batch's token, the number of
 * keys n, the n event keys, then per key the token of a claim held already, or '' (or nothing) for
 * a new one, held by the batch's token: a batch of new claims sends no token and writes one value.
 * One letter per key: 'c' claimed (now held by its token for the lease; a claim its token holds
 * already is renewed), 'd' done or 'i' in-flight (held by another token, or by an earlier key of this batch).
 */
export const CLAIM = `${NOW}${GENERATIONS}
local count = tonumber(ARGV[3])
local held = sliced(ARGV, 4, count + 3, function(...) return redis.call('HMGET', KEYS[1], ...) end)
local missing, at, m = {}, {}, 0
for i = 1, count do
  if not held[i] then
    m = m + 1
    missing[m] = ARGV[i + 3]
    at[m] = i
  end
end
if m > 0 and redis.call('EXISTS', KEYS[2]) == 1 then
  local older = sliced(missing, 1, m, function(...) return redis.call('HMGET', KEYS[2], ...) end)
  for j = 1, m do held[at[j]] = older[j] end
end
local lease = tonumber(ARGV[1])
local expires = (now + lease) .. ' '
local batch = ARGV[2]
local fresh = expires .. batch
local out, claims, taken, n = {}, {}, {}, 0
for i = 1, count do
  local key = ARGV[i + 3]
  local token = ARGV[i + count + 3]
  if token == nil or token == '' then token = batch end
  local holder
  if taken[key] then
    holder = ''
  elseif held[i] then
    local until_, by = string.match(held[i], '^(%d+) (.*)$')
    if until_ and tonumber(until_) > now then holder = by end
  end
  if holder == nil or holder == token then
    taken[key] = true
    claims[n + 1] = key
    claims[n + 2] = token == batch and fresh or expires .. token
    n = n + 2
    out[i] = 'c'
  elseif holder == 'done' then
    out[i] = 'd'
  else
    out[i] = 'i'
  end
end
if n > 0 then write(claims, lease) end
return table.concat(out)`;

/**
 * KEYS: the handled hash, its previous generation. ARGV: an event key, the token of our claim.
 * Deletes the claim only while it is ours (a lapsed one may be another consumer's now), where it
 * is: an entry in the current generation shadows (and takes with it) the previous one's.
 */
export const RELEASE_CLAIM = `
local owner = '^%d+ (.*)$'
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held then
  if string.match(held, owner) ~= ARGV[2] then return 0 end
  redis.call('HDEL', KEYS[2], ARGV[1])
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
held = redis.call('HGET', KEYS[2], ARGV[1])
if held and string.match(held, owner) == ARGV[2] then return redis.call('HDEL', KEYS[2], ARGV[1]) end
return 0`;

/** KEYS: stream, failures hash, dead-letter stream. ARGV: group, position, record, error, attempts, dead at. */
export const DEAD_LETTER = `
redis.call('XADD', KEYS[3], '*', 'position', ARGV[2], 'record', ARGV[3], 'error', ARGV[4], 'attempts', ARGV[5], 'deadAt', ARGV[6])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[2])
return 1`;

/**
 * KEYS: members zset, then one lease key per partition. ARGV: consumer, ttl ms. The server's clock
 * times everyone, so consumers on machines with skewed clocks agree on who is alive.
 * Returns the partitions (0-based) the consumer holds; the balancing is leases.ts's fairShare.
 */
export const LEASE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local me = ARGV[1]
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + ttl, me)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('PEXPIRE', KEYS[1], ttl * 2)
local share = math.ceil((#KEYS - 1) / math.max(1, redis.call('ZCARD', KEYS[1])))
local owned = {}
for i = 2, #KEYS do
  if redis.call('GET', KEYS[i]) == me then
    if #owned < share then
      redis.call('PEXPIRE', KEYS[i], ttl)
      owned[#owned + 1] = i - 2
    else
      redis.call('DEL', KEYS[i])
    end
  end
end
for i = 2, #KEYS do
  if #owned >= share then break end
  if redis.call('SET', KEYS[i], me, 'NX', 'PX', ttl) then owned[#owned + 1] = i - 2 end
end
return owned`;

/** KEYS: members zset, then one lease key per partition. ARGV: consumer. */
export const RELEASE = `
redis.call('ZREM', KEYS[1], ARGV[1])
for i = 2, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
end
return 1`;
