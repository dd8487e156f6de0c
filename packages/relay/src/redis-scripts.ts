/**
 * KEYS: stream, id key, the repository's tag hash, the partition's repository set. ARGV: record,
 * id ttl ms, max length ('' for none), min id ('' for none), then the tag change ('' for none), its
 * digest ('' for a delete), its origin ('real' or 'reconcile'), the repository. Appends once per id
 * key; the tag state changes with the append (tag-state.ts's applyTagChange: '~' marks what
 * reconciliation wrote). The record arrives once: its copy marked late is the same JSON object
 * with `"reconciled":true` added last, so the receiver neither encodes nor sends it twice. A real
 * tag delete's record gains the `deletedDigest` the hash held, spliced into its JSON text the same way.
 */
export const APPEND = `
local existing = redis.call('GET', KEYS[2])
if existing then return {0, existing} end
local record = ARGV[1]
if ARGV[5] ~= '' then
  local tag, digest = ARGV[5], ARGV[6]
  if ARGV[7] == 'reconcile' then
    redis.call('HSET', KEYS[3], tag, '~' .. digest)
    redis.call('SADD', KEYS[4], ARGV[8])
  else
    local known = redis.call('HGET', KEYS[3], tag)
    if known == '~' .. digest then record = string.sub(record, 1, -2) .. ',"reconciled":true}' end
    if digest == '' then
      redis.call('HDEL', KEYS[3], tag)
      local deleted = known and string.gsub(known, '^~', '') or ''
      if deleted ~= '' and not string.find(record, '"deletedDigest":', 1, true) then record = string.sub(record, 1, -2) .. ',"deletedDigest":' .. cjson.encode(deleted) .. '}' end
    else
      redis.call('HSET', KEYS[3], tag, digest)
      redis.call('SADD', KEYS[4], ARGV[8])
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

/**
 * KEYS: stream, failures hash. ARGV: group, handled ttl ms, the number of positions, the positions,
 * then the event keys to record as handled. Their records are the group's handled keys
 * (`<stream>:done:<group>:<event key>`, in the stream's hash slot), named here so the
 * acknowledgement sends each event key bare.
 */
export const ACK = `
local positions = tonumber(ARGV[3])
redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 4, positions + 3))
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('HDEL', KEYS[2], unpack(ARGV, 4, positions + 3)) end
local done = KEYS[1] .. ':done:' .. ARGV[1] .. ':'
for i = positions + 4, #ARGV do redis.call('SET', done .. ARGV[i], 'done', 'PX', ARGV[2]) end
return 1`;

/**
 * KEYS: stream. ARGV: group, consumer, count, lease ms, the batch's token prefix. XREADGROUP of new
 * entries, and the claim of each entry's event key in the group's handled keys (as CLAIM, new claims
 * only), in one step: a batch costs one round trip and sends no key. Returns the entries and one
 * letter per entry: 'c' claimed (token: the prefix and the entry's number, 1-based), 'd' done,
 * 'i' in-flight, '-' no event key (not a relay record: decoding it fails). The key is read from
 * the record's JSON text, which the log writes with `key` first; a key with escapes is decoded.
 */
export const READ_CLAIMED = `
local reply = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', KEYS[1], '>')
if not reply then return {{}, ''} end
local entries = reply[1][2]
local done = KEYS[1] .. ':done:' .. ARGV[1] .. ':'
local statuses = {}
for i, entry in ipairs(entries) do
  local record = entry[2][2]
  local key = type(record) == 'string' and string.match(record, '^{"key":"([^"\\\\]*)"')
  if not key and type(record) == 'string' then
    local ok, decoded = pcall(cjson.decode, record)
    key = ok and type(decoded) == 'table' and type(decoded.key) == 'string' and decoded.key
  end
  if not key then
    statuses[i] = '-'
  elseif redis.call('SET', done .. key, ARGV[5] .. i, 'NX', 'PX', ARGV[4]) then
    statuses[i] = 'c'
  elseif redis.call('GET', done .. key) == 'done' then
    statuses[i] = 'd'
  else
    statuses[i] = 'i'
  end
end
return {entries, table.concat(statuses)}`;

/**
 * KEYS: the handled keys of events about to run. ARGV: lease ms, the batch's token prefix, then per
 * key the token of a claim held already, or '' for a new one: the prefix and the key's number (1-based),
 * so a batch of new claims sends no token. One letter per key: 'c' claimed (now held by its token
 * until the lease lapses; a claim its token holds already is renewed), 'd' done or 'i' in-flight.
 * A script sees no key lapse between its SET and its GET.
 */
export const CLAIM = `
local out = {}
for i, key in ipairs(KEYS) do
  local token = ARGV[i + 2]
  if token == '' then token = ARGV[2] .. i end
  if redis.call('SET', key, token, 'NX', 'PX', ARGV[1]) then
    out[i] = 'c'
  else
    local held = redis.call('GET', key)
    if held == token then
      redis.call('PEXPIRE', key, ARGV[1])
      out[i] = 'c'
    elseif held == 'done' then
      out[i] = 'd'
    else
      out[i] = 'i'
    end
  end
end
return table.concat(out)`;

/** KEYS: a handled key. ARGV: the token of our claim. Deletes the claim only while it is ours: a lapsed one may be another consumer's now. */
export const RELEASE_CLAIM = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
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
