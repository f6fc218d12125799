-- Applies what a gateway's credits (Credits, beside RedisLimiter) changed since its last batch:
-- what a credit holds of a budget or of requests in flight, what its requests spent, corrections of
-- a rate's second (an estimate that was more than the use; a credit's unused rest given back).
-- Applied once: a batch resent after a reconnect finds its marker and changes nothing.
--
-- KEYS: KEYS[1] the batch's marker; per op i (1-based): KEYS[2i] the counter, KEYS[2i+1] its leases.
-- ARGV: now (epoch ms), the marker's time to live (ms), n; then per op 4 values: kind ('m' rate |
-- 'b' budget | 'f' in flight), the credit's id (a rate: the epoch second to correct), change of
-- what it holds (a rate: of the second's use), spent (a budget's use to add).
--
-- Answers: the ops whose credit Redis no longer holds (its lease expired, or Redis lost its data),
-- so that the gateway stops drawing on it.

if not redis.call('SET', KEYS[1], 1, 'NX', 'PX', ARGV[2]) then return {} end

local now = tonumber(ARGV[1])
local n = tonumber(ARGV[3])
local second = math.floor(now / 1000)
local lost = {}

local function int(x)
  return string.format('%d', x)
end

for i = 1, n do
  local b = 3 + (i - 1) * 4
  local kind, id, change, spent = ARGV[b + 1], ARGV[b + 2], tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4])
  local key, leases = KEYS[2 * i], KEYS[2 * i + 1]
  if kind == 'm' then
    -- a second that left the window is not corrected: the count held while it mattered
    if tonumber(id) > second - 60 and redis.call('EXISTS', key) == 1 then
      local v = redis.call('HINCRBY', key, id, int(change))
      if v < 0 then redis.call('HSET', key, id, 0) end
    end
  else
    local held = redis.call('HGET', key, 'h:' .. id)
    if held then
      local left = tonumber(held) + change
      if left < 0 then
        change, left = -tonumber(held), 0
      end
      redis.call('HINCRBY', key, 'reserved', int(change))
      if left == 0 then
        redis.call('HDEL', key, 'h:' .. id)
        redis.call('ZREM', leases, id)
      else
        redis.call('HSET', key, 'h:' .. id, int(left))
      end
      if kind == 'b' and spent ~= 0 then redis.call('HINCRBY', key, 'spent', int(spent)) end
    else
      -- its lease expired (reserve.lua freed what it held): the use still happened, and counts
      if kind == 'b' and spent ~= 0 and redis.call('HEXISTS', key, 'x:' .. id) == 1 then
        redis.call('HINCRBY', key, 'spent', int(spent))
      end
      lost[#lost + 1] = i
    end
  end
end
return lost
