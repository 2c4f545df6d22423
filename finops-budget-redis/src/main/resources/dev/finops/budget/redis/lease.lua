-- A lease: a slice of a chain's room reserved in Redis like a reservation (record KEYS[1], same fields, so
-- a sweeper ends it like any reservation of a dead owner), served locally by its process.
-- KEYS: 1 the lease record, 2 the open-reservation index, 3 the owner's set, 4.. the counters (non-rolling).
-- ARGV: 1 mode: 'g' grows it by ARGV[7] if every counter has room (creates it at seq 1), 'f' flushes:
-- spends ARGV[7] (already in used) and releases ARGV[9], 'e' ends it: spends ARGV[7] and releases the rest;
-- 2 id; 3 op seq (an op applies once: only if above the record's last, 'q'); 4 owner; 5 deadline offset
-- ms (Redis clock); 6 n; 7 amount (growth, or spend); 8 MAX - amount; 9 released (mode 'f'), or the
-- minimum growth (mode 'g': grows by it if the growth does not fit); then per counter 4 values: ceilings
-- (limit - growth, limit - minimum; mode 'g'), expiry spec, geometry.
-- Returns -1 done, -4 grown by the minimum only, i-1 when counter i has no room for the minimum (mode 'g'),
-- -2 applied already, -3 the lease has ended.
local mode, id, seq = ARGV[1], ARGV[2], tonumber(ARGV[3])
local n = tonumber(ARGV[6])
local amt, room = ARGV[7], ARGV[8]
local exists = redis.call('EXISTS', KEYS[1]) == 1
if exists then
  if seq <= tonumber(redis.call('HGET', KEYS[1], 'q') or '0') then
    return -2
  end
  redis.call('HSET', KEYS[1], 'q', seq)
elseif mode ~= 'g' or seq ~= 1 then
  return -3
end
if mode == 'g' then
  local done = -1
  for i = 1, n do
    local used = hget(KEYS[3 + i], 'used')
    if lt(ARGV[9 + (i - 1) * 4 + 2], used) then
      return i - 1
    end
    if lt(ARGV[9 + (i - 1) * 4 + 1], used) then
      done = -4
    end
  end
  if done == -4 then
    amt = ARGV[9]
  end
  for i = 1, n do
    local k = KEYS[3 + i]
    redis.call('HINCRBY', k, 'used', amt) -- used <= limit - amt: no overflow
    expire(k, ARGV[9 + (i - 1) * 4 + 3])
  end
  if not exists then
    local rec = {'amt', '0', 'at', '0', 'own', ARGV[4], 'n', ARGV[6], 'q', seq, 'lease', '1'}
    for i = 1, n do
      table.insert(rec, 'k' .. i)
      table.insert(rec, KEYS[3 + i])
      table.insert(rec, 'g' .. i)
      table.insert(rec, ARGV[9 + (i - 1) * 4 + 4])
      table.insert(rec, 'b' .. i)
      table.insert(rec, '')
    end
    redis.call('HSET', KEYS[1], unpack(rec))
    redis.call('SADD', KEYS[3], ARGV[2])
  end
  redis.call('HINCRBY', KEYS[1], 'amt', amt)
  redis.call('ZADD', KEYS[2], nowMillis() + tonumber(ARGV[5]), ARGV[2])
  return done
end
-- 'f' or 'e': the spend was in used (the lease held it); it moves to spent, and leaves the lease.
if lt(redis.call('HGET', KEYS[1], 'amt'), amt) then
  return redis.error_reply('lease ' .. id .. ' holds less than its spend ' .. amt)
end
for i = 1, n do
  inc(KEYS[3 + i], 'spent', amt, room)
end
if amt ~= '0' then
  redis.call('HINCRBY', KEYS[1], 'amt', '-' .. amt)
end
local rel = ARGV[9]
if mode == 'e' then
  rel = redis.call('HGET', KEYS[1], 'amt')
elseif lt(redis.call('HGET', KEYS[1], 'amt'), rel) then
  rel = redis.call('HGET', KEYS[1], 'amt')
end
for i = 1, n do
  dec(KEYS[3 + i], 'used', rel)
  expire(KEYS[3 + i], ARGV[9 + (i - 1) * 4 + 3])
end
if mode == 'e' then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], id)
  redis.call('SREM', KEYS[3], id)
else
  if rel ~= '0' then
    redis.call('HINCRBY', KEYS[1], 'amt', '-' .. rel)
  end
  redis.call('ZADD', KEYS[2], nowMillis() + tonumber(ARGV[5]), id)
end
return -1
