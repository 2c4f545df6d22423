-- Adds deltas to the counters of a chain, unconditionally (BudgetStore.adjust), once.
-- KEYS: 1 the guard, 2 the open-reservation index, 3 the owner's set, 4.. the counters.
-- ARGV: 1 mode: 'r' settles the reservation whose record is KEYS[1] (nothing if it is gone: settled,
-- released or expired already, by anyone), 'o' applies once per operation id (KEYS[1] a marker set with
-- NX), 'p' applies; 2 id; 3 sign of the used delta ('+', '-' or '0'); 4 |used delta|; 5 MAX - |used delta|;
-- 6 spent the reservation held (counts in its sub-bucket); 7 MAX - that; 8 spent not reserved (counts now);
-- 9 MAX - that; 10 marker TTL ms; 11 n; then per counter 5 values: rolling target ('' if not rolling), live
-- sub-buckets, sub-bucket of now, sub-bucket of reserved-at (modes 'o' and 'p'), expiry spec.
-- Mode 'r=<amount>' is mode 'r' guarded by the record's amount.
-- Returns 1 if applied, 0 if the guard said it was applied already.
local mode = ARGV[1]
local want -- 'r=<amount>' (a sweeper): settles the record only if it still holds that amount (a lease may shrink)
if string.sub(mode, 1, 2) == 'r=' then
  want = string.sub(mode, 3)
  mode = 'r'
end
if mode == 'r' then
  if redis.call('EXISTS', KEYS[1]) == 0 then
    return 0
  end
  if want and redis.call('HGET', KEYS[1], 'amt') ~= want then
    return 0
  end
elseif mode == 'o' then
  if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[10]) then
    return 0
  end
end
local sign, ud, roomUd = ARGV[3], ARGV[4], ARGV[5]
local rs, roomRs, us, roomUs = ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local n = tonumber(ARGV[11])
for i = 1, n do
  local a = 11 + (i - 1) * 5
  local k = KEYS[3 + i]
  local rolling = ARGV[a + 1] ~= ''
  local z, nb, rb
  if rolling then
    local live = tonumber(ARGV[a + 2])
    z = age(k, ARGV[a + 1], live)
    nb = tonumber(ARGV[a + 3])
    if nb <= z then
      nb = z + live
    end
    if mode == 'r' then
      rb = tonumber(redis.call('HGET', KEYS[1], 'b' .. i))
    else
      rb = tonumber(ARGV[a + 4])
    end
  end
  if sign == '+' then
    inc(k, 'used', ud, roomUd)
    if rolling then
      inc(k, 'u' .. nb, ud, roomUd)
    end
  elseif sign == '-' then
    if not rolling then
      dec(k, 'used', ud)
    elseif rb > z then -- else the amount already left the window with its sub-bucket
      dec(k, 'u' .. rb, ud)
      dec(k, 'used', ud)
    end
  end
  if rs ~= '0' then
    if not rolling then
      inc(k, 'spent', rs, roomRs)
    elseif rb > z then -- else its sub-bucket left the window: counted for the window's length already
      inc(k, 's' .. rb, rs, roomRs)
      inc(k, 'spent', rs, roomRs)
    end
  end
  if us ~= '0' then
    inc(k, 'spent', us, roomUs)
    if rolling then
      inc(k, 's' .. nb, us, roomUs)
    end
  end
  expire(k, ARGV[a + 5])
end
if mode == 'r' then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[2])
  redis.call('SREM', KEYS[3], ARGV[2])
end
return 1
