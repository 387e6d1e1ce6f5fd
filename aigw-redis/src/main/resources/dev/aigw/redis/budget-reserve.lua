-- Reserves every charge or none. KEYS[1]: the reservation's record; KEYS[1+i]: charge i's
-- counter. ARGV[1]: the record's time to live (ms); then five per charge: bucket, slices, limit,
-- amount, the counter's time to live (ms).
-- Returns {'granted', used_1, ..., used_n} or {'denied', i, used_i, oldest_bucket_i}.
local n = #KEYS - 1
local used, stales = {}, {}
for i = 1, n do
  local a = 1 + (i - 1) * 5
  local sum, oldest, stale = usage(KEYS[1 + i], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]))
  local after = add(sum, big(ARGV[a + 4]))
  if not le(after, big(ARGV[a + 3])) then
    return {'denied', tostring(i), str(sum), string.format('%d', oldest)}
  end
  used[i] = str(after)
  stales[i] = stale
end
for i = 1, n do
  local a = 1 + (i - 1) * 5
  local key = KEYS[1 + i]
  -- a bucket's first usage sets how long the counter lives; later usage of it leaves that alone
  if redis.call('HINCRBY', key, ARGV[a + 1], ARGV[a + 4]) == tonumber(ARGV[a + 4]) then extend(key, ARGV[a + 5]) end
  if #stales[i] > 0 then redis.call('HDEL', key, unpack(stales[i])) end
end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
local out = {'granted'}
for i = 1, n do out[1 + i] = used[i] end
return out
