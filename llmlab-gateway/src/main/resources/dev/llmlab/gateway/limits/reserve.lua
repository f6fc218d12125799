-- Reserves a request's asks all at once, or none: RedisLimiter's reserve (with mode 'peek', a read
-- of where each limit stands; with mode 'allot', a gateway's credit of one limit, reserved as one
-- request would be under the credit's id, without a marker: Credits settles it by adjust.lua). One
-- script, so that no other gateway's call runs between the checks and the counts.
--
-- KEYS, per ask i (1-based): KEYS[2i-1] the counter, KEYS[2i] its leases (a sorted set of
-- reservation ids by expiry; unused by a rate); KEYS[2n+1] the reservation's marker.
-- ARGV: mode ('reserve' | 'peek' | 'allot'), now (epoch ms), reservation id, lease expiry (epoch ms), n;
-- then per ask 5 values: kind ('m' rate | 'b' budget | 'f' in flight), limit, amount, the period's
-- end (a budget's, epoch ms; else 0), seed (a budget's spend to start from when its counter is
-- missing; -1: ask the caller).
--
-- A rate is a hash of epoch second -> use, summed over the last 60 seconds. A budget is a hash
-- with 'spent', 'reserved', 'h:ID' (what reservation ID holds) and 'x:ID' (a reservation whose lease
-- expired before it settled). In flight is the same without 'spent'. Expired leases are freed
-- here, before anything is counted.
--
-- Answers: {1, remaining_1, reset_1, ...} granted; {0, i, remaining, wait ms} refused at ask i;
-- {-1, i, ...} the budgets at i have no counter and need a seed; {2, remaining_1, spent_1, ...} peek.

local mode = ARGV[1]
local now = tonumber(ARGV[2])
local id = ARGV[3]
local expiry = tonumber(ARGV[4])
local n = tonumber(ARGV[5])
local second = math.floor(now / 1000)
local DAY = 86400000

local function int(x)
  return string.format('%d', x)
end

local function arg(i, k)
  return ARGV[5 + (i - 1) * 5 + k]
end

-- 1. a budget without a counter (its first request this period, or a store that lost its data)
-- starts from the ledger's spend, set once
if mode == 'reserve' then
  local missing = {}
  for i = 1, n do
    local key = KEYS[2 * i - 1]
    if arg(i, 1) == 'b' and redis.call('EXISTS', key) == 0 then
      local seed = tonumber(arg(i, 5))
      if seed >= 0 then
        redis.call('HSET', key, 'spent', int(seed), 'reserved', 0)
        redis.call('PEXPIREAT', key, int(tonumber(arg(i, 4)) + DAY))
      else
        missing[#missing + 1] = i
      end
    end
  end
  if #missing > 0 then
    table.insert(missing, 1, -1)
    return missing
  end
end

-- 2. what each limit counts now
local used, spent, buckets = {}, {}, {}
for i = 1, n do
  local kind, key, leases = arg(i, 1), KEYS[2 * i - 1], KEYS[2 * i]
  if kind == 'm' then
    local flat = redis.call('HGETALL', key)
    local b, total = {}, 0
    for j = 1, #flat, 2 do
      local s, v = tonumber(flat[j]), tonumber(flat[j + 1])
      if s <= second - 60 then
        redis.call('HDEL', key, flat[j])
      else
        b[s] = v
        total = total + v
      end
    end
    buckets[i], used[i], spent[i] = b, total, 0
  else
    -- leases that expired: their gateway died, or the request outlived its lease; what they held is freed
    local gone = redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, 100)
    for _, r in ipairs(gone) do
      local held = redis.call('HGET', key, 'h:' .. r)
      if held then
        redis.call('HINCRBY', key, 'reserved', int(-tonumber(held)))
        redis.call('HDEL', key, 'h:' .. r)
        if kind == 'b' then redis.call('HSET', key, 'x:' .. r, 1) end
      end
    end
    if #gone > 0 then redis.call('ZREM', leases, unpack(gone)) end
    local v = redis.call('HMGET', key, 'spent', 'reserved')
    spent[i] = tonumber(v[1]) or 0
    used[i] = spent[i] + (tonumber(v[2]) or 0)
  end
end

if mode == 'peek' then
  local out = {2}
  for i = 1, n do
    out[#out + 1] = math.max(0, tonumber(arg(i, 2)) - used[i])
    out[#out + 1] = spent[i]
  end
  return out
end

-- 3. the first ask that does not fit refuses them all
for i = 1, n do
  local kind, limit, amount = arg(i, 1), tonumber(arg(i, 2)), tonumber(arg(i, 3))
  if used[i] + amount > limit then
    local wait
    if amount > limit then
      wait = -1
    elseif kind == 'm' then
      -- when enough of the oldest seconds leave the window
      wait = math.max(1, (second + 1) * 1000 - now)
      local released = 0
      for s = second - 59, second do
        released = released + (buckets[i][s] or 0)
        if used[i] - released + amount <= limit then
          wait = math.max(1, (s + 60) * 1000 - now)
          break
        end
      end
    elseif kind == 'b' then
      wait = math.max(1, tonumber(arg(i, 4)) - now)
    else
      wait = 1000
    end
    return {0, i, math.max(0, limit - used[i]), wait}
  end
end

-- 4. count them all
local out = {1}
local lease = math.max(1, expiry - now)
for i = 1, n do
  local kind, key, leases = arg(i, 1), KEYS[2 * i - 1], KEYS[2 * i]
  local limit, amount = tonumber(arg(i, 2)), tonumber(arg(i, 3))
  local reset = 0
  if kind == 'm' then
    redis.call('HINCRBY', key, int(second), arg(i, 3))
    redis.call('PEXPIRE', key, 120000)
    local b = buckets[i]
    b[second] = (b[second] or 0) + amount
    reset = now
    for s = second - 59, second do
      if (b[s] or 0) ~= 0 then
        reset = (s + 60) * 1000
        break
      end
    end
  else
    redis.call('HINCRBY', key, 'reserved', arg(i, 3))
    redis.call('HSET', key, 'h:' .. id, arg(i, 3))
    redis.call('ZADD', leases, int(expiry), id)
    if kind == 'b' then
      reset = tonumber(arg(i, 4))
      redis.call('PEXPIREAT', key, int(reset + DAY))
      redis.call('PEXPIREAT', leases, int(reset + DAY))
    else
      redis.call('PEXPIRE', key, int(lease + 60000))
      redis.call('PEXPIRE', leases, int(lease + 60000))
    end
  end
  out[#out + 1] = math.max(0, limit - used[i] - amount)
  out[#out + 1] = reset
end
if mode == 'reserve' then redis.call('SET', KEYS[2 * n + 1], 1, 'PX', int(lease)) end
return out
