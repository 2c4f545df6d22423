-- Forgets a dead owner once it holds no reservation. KEYS: 1 the owners, 2 its set. ARGV: 1 the owner.
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) <= nowMillis() and redis.call('SCARD', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0
