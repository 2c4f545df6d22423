-- A counter's used and spent. KEYS: 1 the counter. ARGV: 1 rolling target ('' if not rolling), 2 live.
if ARGV[1] ~= '' then
  age(KEYS[1], ARGV[1], tonumber(ARGV[2]))
end
return {hget(KEYS[1], 'used'), hget(KEYS[1], 'spent')}
