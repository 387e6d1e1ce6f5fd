-- Makes every entry of a partition unreachable in O(1), and tells every gateway to drop its
-- local copies, in one round trip.
-- KEYS[1]: the partition's generation key, '{<namespace>:cache:<partition>}:g'.
-- ARGV[1]: the invalidation channel, ARGV[2]: the message.
-- The generation moves on (INCR keeps the key's time to live); the old entries expire by
-- theirs. Without a generation key no entry is reachable and nothing moves (an INCR would
-- create generation 1, which an older generation may have used).
local moved = 0
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('INCR', KEYS[1])
  moved = 1
end
redis.call('PUBLISH', ARGV[1], ARGV[2])
return moved
