-- Exact arithmetic on non-negative 64-bit integers given as decimal strings. Redis's Lua numbers
-- are doubles, exact only below 2^53, and money is counted in nano-units: so every amount is
-- split into two limbs of base 10^9, each exact in a double.
local B = 1000000000
local function big(s)
  s = tostring(s)
  local n = #s
  if n <= 9 then return {0, tonumber(s)} end
  return {tonumber(string.sub(s, 1, n - 9)), tonumber(string.sub(s, n - 8))}
end
local function add(a, b)
  local lo, hi = a[2] + b[2], a[1] + b[1]
  if lo >= B then lo = lo - B; hi = hi + 1 end
  return {hi, lo}
end
local function le(a, b)
  return a[1] < b[1] or (a[1] == b[1] and a[2] <= b[2])
end
local function str(a)
  if a[1] == 0 then return string.format('%d', a[2]) end
  return string.format('%d%09d', a[1], a[2])
end
-- The usage of a counter hash (field = bucket, value = amount) in the window ending at bucket
-- `now` of `slices` buckets; the oldest bucket in it that holds usage; the fields that left it.
local function usage(key, now, slices)
  local sum, oldest, stale = {0, 0}, now, {}
  local fields = redis.call('HGETALL', key)
  for j = 1, #fields, 2 do
    local b = tonumber(fields[j])
    if b > now - slices and b <= now then
      local v = big(fields[j + 1])
      sum = add(sum, v)
      if (v[1] > 0 or v[2] > 0) and b < oldest then oldest = b end
    elseif b <= now - slices then
      stale[#stale + 1] = fields[j]
    end
  end
  return sum, oldest, stale
end
local function extend(key, ttl)
  if redis.call('PTTL', key) < tonumber(ttl) then redis.call('PEXPIRE', key, ttl) end
end
