-- Reads a cache entry of its partition's current generation, in one round trip.
-- KEYS[1]: the partition's generation key, '{<namespace>:cache:<partition>}:g'.
-- ARGV[1]: the request hash.
-- Returns {entry, its remaining time to live in ms (-1: none), generation}, or an empty array.
-- The entry key shares the generation key's hash tag, so both live in one slot.
local gen = redis.call('GET', KEYS[1])
if not gen then
  return {}
end
local key = string.sub(KEYS[1], 1, -2) .. 'e:' .. gen .. ':' .. ARGV[1]
local value = redis.call('GET', key)
if not value then
  return {}
end
return {value, redis.call('PTTL', key), gen}
