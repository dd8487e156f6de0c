/**
 * KEYS: stream, id key, the repository's tag hash, the partition's repository set. ARGV: record,
 * id ttl ms, max length ('' for none), min id ('' for none), the record marked late, then the tag
 * change ('' for none), its digest ('' for a delete), its origin ('real' or 'reconcile'), the
 * repository. Appends once per id key; the tag state changes with the append (tag-state.ts's
 * applyTagChange: '~' marks what reconciliation wrote; a real tag delete's record gains the
 * `deletedDigest` the hash held, spliced into the record's JSON text).
 */
export const APPEND = `
local existing = redis.call('GET', KEYS[2])
if existing then return {0, existing} end
local record = ARGV[1]
if ARGV[6] ~= '' then
  local tag, digest = ARGV[6], ARGV[7]
  if ARGV[8] == 'reconcile' then
    redis.call('HSET', KEYS[3], tag, '~' .. digest)
    redis.call('SADD', KEYS[4], ARGV[9])
  else
    local known = redis.call('HGET', KEYS[3], tag)
    if known == '~' .. digest then record = ARGV[5] end
    if digest == '' then
      redis.call('HDEL', KEYS[3], tag)
      local deleted = known and string.gsub(known, '^~', '') or ''
      if deleted ~= '' and not string.find(record, '"deletedDigest":', 1, true) then record = string.sub(record, 1, -2) .. ',"deletedDigest":' .. cjson.encode(deleted) .. '}' end
    else
      redis.call('HSET', KEYS[3], tag, digest)
      redis.call('SADD', KEYS[4], ARGV[9])
    end
  end
end
local id
if ARGV[3] ~= '' then
  id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'record', record)
else
  id = redis.call('XADD', KEYS[1], '*', 'record', record)
end
if ARGV[4] ~= '' then redis.call('XTRIM', KEYS[1], 'MINID', '~', ARGV[4]) end
redis.call('SET', KEYS[2], id, 'PX', ARGV[2])
return {1, id}`;

/** KEYS: stream, failures hash. ARGV: group, positions... */
export const ACK = `
redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2))
redis.call('HDEL', KEYS[2], unpack(ARGV, 2))
return 1`;

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
