-- All-or-nothing reservation over one scope chain.
-- KEYS: 1 the reservation record, 2 the open-reservation index (zset by deadline), 3 the owner's set of
-- reservations, 4.. the counters (the chain, in the manager's order).
-- ARGV: 1 id, 2 amount, 3 deadline offset ms (on Redis' clock), 4 owner, 5 reserved-at ms, 6 n; then per
-- counter 6 values: ceiling (limit - amount), rolling target ('' if not rolling), live sub-buckets,
-- sub-bucket of reserved-at, expiry spec, geometry (kept in the record for sweepers).
-- Returns -1 when reserved, else the 0-based index of a counter without room (nothing changed).
local n = tonumber(ARGV[6])
local z = {}
for i = 1, n do
  local a = 6 + (i - 1) * 6
  local k = KEYS[3 + i]
  if ARGV[a + 2] ~= '' then
    z[i] = age(k, ARGV[a + 2], tonumber(ARGV[a + 3]))
  end
  if lt(ARGV[a + 1], hget(k, 'used')) then
    return i - 1
  end
end
local amount = ARGV[2]
local rec = {'amt', amount, 'at', ARGV[5], 'own', ARGV[4], 'n', ARGV[6]}
for i = 1, n do
  local a = 6 + (i - 1) * 6
  local k = KEYS[3 + i]
  redis.call('HINCRBY', k, 'used', amount) -- used <= ceiling, so used + amount <= limit: no overflow
  local b = ''
  if z[i] then
    b = tonumber(ARGV[a + 4])
    if b <= z[i] then
      b = z[i] + tonumber(ARGV[a + 3])
    end
    redis.call('HINCRBY', k, 'u' .. b, amount)
  end
  expire(k, ARGV[a + 5])
  table.insert(rec, 'k' .. i)
  table.insert(rec, k)
  table.insert(rec, 'g' .. i)
  table.insert(rec, ARGV[a + 6])
  table.insert(rec, 'b' .. i)
  table.insert(rec, b)
end
redis.call('HSET', KEYS[1], unpack(rec))
redis.call('ZADD', KEYS[2], nowMillis() + tonumber(ARGV[3]), ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
return -1
