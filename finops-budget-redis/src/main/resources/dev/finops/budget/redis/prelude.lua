-- Shared by every script of RedisBudgetStore. Amounts are pico-units held as Redis integers (64-bit) and
-- passed as decimal strings; Lua numbers are doubles (exact only below 2^53), so no amount is ever turned
-- into a Lua number: amounts are compared as strings (lt) and added by HINCRBY, which is exact to 2^63 - 1.
-- Only times and sub-bucket indices (below 10^14) are Lua numbers.
local MAX = '9223372036854775807'

-- a < b for canonical non-negative decimal strings.
local function lt(a, b)
  if #a ~= #b then
    return #a < #b
  end
  return a < b
end

local function hget(k, f)
  return redis.call('HGET', k, f) or '0'
end

-- field += d (a positive decimal string), saturating at MAX; room = MAX - d.
local function inc(k, f, d, room)
  if d == '0' then
    return
  end
  if lt(room, hget(k, f)) then
    redis.call('HSET', k, f, MAX)
  else
    redis.call('HINCRBY', k, f, d)
  end
end

-- field -= d (a positive decimal string), stopping at zero.
local function dec(k, f, d)
  if d == '0' then
    return
  end
  if lt(hget(k, f), d) then
    redis.call('HSET', k, f, '0')
  else
    redis.call('HINCRBY', k, f, '-' .. d)
  end
end

-- '' none; 'a<ms>' expire at that epoch ms (a calendar period); 'r<ms>' expire that long from now (rolling).
local function expire(k, e)
  if e == '' then
    return
  end
  if string.sub(e, 1, 1) == 'a' then
    redis.call('PEXPIREAT', k, string.sub(e, 2))
  else
    redis.call('PEXPIRE', k, string.sub(e, 2))
  end
end

-- A rolling counter drops its sub-buckets at or before target (used 'u<b>', spent 's<b>'); field 'z' is
-- the last sub-bucket dropped. Returns z.
local function age(k, target, live)
  target = tonumber(target)
  local z = redis.call('HGET', k, 'z')
  if not z then
    redis.call('HSET', k, 'z', target)
    return target
  end
  z = tonumber(z)
  if z >= target then
    return z
  end
  local function drop(b)
    local u = redis.call('HGET', k, 'u' .. b)
    if u then
      redis.call('HDEL', k, 'u' .. b)
      dec(k, 'used', u)
    end
    local s = redis.call('HGET', k, 's' .. b)
    if s then
      redis.call('HDEL', k, 's' .. b)
      dec(k, 'spent', s)
    end
  end
  if target - z <= live + 1 then
    for b = z + 1, target do
      drop(b)
    end
  else
    for _, f in ipairs(redis.call('HKEYS', k)) do
      local c = string.sub(f, 1, 1)
      if (c == 'u' or c == 's') and tonumber(string.sub(f, 2)) <= target then
        drop(string.sub(f, 2))
      end
    end
  end
  redis.call('HSET', k, 'z', target)
  return target
end

local function nowMillis()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
