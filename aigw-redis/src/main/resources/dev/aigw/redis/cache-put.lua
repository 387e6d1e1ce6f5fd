-- Stores a cache entry under its partition's current generation, in one round trip.
-- KEYS[1]: the partition's generation key, '{<namespace>:cache:<partition>}:g'.
-- ARGV[1]: the request hash, ARGV[2]: the encoded entry, ARGV[3]: its time to live in ms.
-- Returns the generation.
-- A partition without a generation key has no reachable entry. Its first entry starts a fresh
-- generation from the server's clock (microseconds), never a number an older generation of the
-- partition had; the generation key then outlives every entry stored under it, so it expires
-- only when they all have.
-- The generation lives a second longer than the entry, since the server's clock may tick between
-- the two writes.
local gen = redis.call('GET', KEYS[1])
local ttl = tonumber(ARGV[3]) + 1000
if not gen then
  local now = redis.call('TIME')
  gen = now[1] .. string.format('%06d', tonumber(now[2]))
  redis.call('SET', KEYS[1], gen, 'PX', ttl)
else
  local left = redis.call('PTTL', KEYS[1])
  if left >= 0 and left < ttl then
    redis.call('PEXPIRE', KEYS[1], ttl)
  end
end
redis.call('SET', string.sub(KEYS[1], 1, -2) .. 'e:' .. gen .. ':' .. ARGV[1], ARGV[2], 'PX', ARGV[3])
return gen
