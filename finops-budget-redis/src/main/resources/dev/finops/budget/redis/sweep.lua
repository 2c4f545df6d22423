-- Heartbeat and the list of work for a sweeper, on Redis' clock.
-- KEYS: 1 the owners (zset by liveness deadline), 2 the open-reservation index.
-- ARGV: 1 this owner, 2 its liveness TTL ms, 3 how many of each to list.
-- Returns {number of dead owners, dead owners..., overdue reservation ids...}.
local now = nowMillis()
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local overdue = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local out = {#dead}
for _, o in ipairs(dead) do
  table.insert(out, o)
end
for _, id in ipairs(overdue) do
  table.insert(out, id)
end
return out
