-- Adds usage admitted by a gateway's local fallback while Redis was away, unconditionally.
-- KEYS[i]: counters. ARGV: three per counter: bucket, amount, the counter's time to live (ms).
for i = 1, #KEYS do
  local a = (i - 1) * 3
  if ARGV[a + 2] ~= '0' then
    if redis.call('HINCRBY', KEYS[i], ARGV[a + 1], ARGV[a + 2]) == tonumber(ARGV[a + 2]) then extend(KEYS[i], ARGV[a + 3]) end
  end
end
return 1
