-- Deletes one cache entry and tells every gateway to drop its local copy, in one round trip.
-- KEYS[1]: the partition's generation key, '{<namespace>:cache:<partition>}:g'.
-- ARGV[1]: the request hash, ARGV[2]: the invalidation channel, ARGV[3]: the message.
-- Returns how many keys were deleted (0 or 1).
local gen = redis.call('GET', KEYS[1])
local removed = 0
if gen then
  removed = redis.call('DEL', string.sub(KEYS[1], 1, -2) .. 'e:' .. gen .. ':' .. ARGV[1])
end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return removed
