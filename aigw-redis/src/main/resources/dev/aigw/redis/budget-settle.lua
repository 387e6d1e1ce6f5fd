-- Settles a reservation once: when its record still exists, deletes it and adds each delta
-- (actual minus reserved) to the bucket it was reserved in, if that bucket is still held, never
-- below zero. Settling twice, or a reservation that never reached Redis, changes nothing.
-- KEYS[1]: the record; KEYS[1+i]: charge i's counter. ARGV: four per charge: reserved bucket,
-- delta, current bucket, slices.
-- Returns {1 if settled now else 0, used_1, ..., used_n} (usage in the current bucket's window).
local n = #KEYS - 1
local settled = redis.call('DEL', KEYS[1]) == 1
local out = {settled and 1 or 0}
for i = 1, n do
  local a = (i - 1) * 4
  local key = KEYS[1 + i]
  if settled and ARGV[a + 2] ~= '0' and redis.call('HEXISTS', key, ARGV[a + 1]) == 1 then
    if redis.call('HINCRBY', key, ARGV[a + 1], ARGV[a + 2]) < 0 then
      redis.call('HSET', key, ARGV[a + 1], '0')
    end
  end
  local sum = usage(key, tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4]))
  out[1 + i] = str(sum)
end
return out
