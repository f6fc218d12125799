-- Settles a reservation made by reserve.lua: puts each ask's actual use in place of its estimate,
-- and frees what it held. Safe to run twice (a command resent after a reconnect): a rate is
-- corrected only by the run that deletes the reservation's marker, a budget or in-flight count
-- only by the run that finds what the reservation holds.
--
-- KEYS as reserve.lua's. ARGV: now (epoch ms), reservation id, n; then per ask 4 values: kind,
-- slot (a rate's epoch second), reserved, actual.

local now = tonumber(ARGV[1])
local id = ARGV[2]
local n = tonumber(ARGV[3])
local second = math.floor(now / 1000)

local function int(x)
  return string.format('%d', x)
end

local first = redis.call('DEL', KEYS[2 * n + 1]) == 1
for i = 1, n do
  local b = 3 + (i - 1) * 4
  local kind, slot = ARGV[b + 1], tonumber(ARGV[b + 2])
  local reserved, actual = tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4])
  local key, leases = KEYS[2 * i - 1], KEYS[2 * i]
  if kind == 'm' then
    -- a second that left the window is not corrected: the estimate counted while it mattered
    if first and slot > second - 60 and redis.call('EXISTS', key) == 1 then
      local v = redis.call('HINCRBY', key, ARGV[b + 2], int(actual - reserved))
      if v < 0 then redis.call('HSET', key, ARGV[b + 2], 0) end
    end
  else
    local held = redis.call('HGET', key, 'h:' .. id)
    if held then
      redis.call('HINCRBY', key, 'reserved', int(-tonumber(held)))
      redis.call('HDEL', key, 'h:' .. id)
      redis.call('ZREM', leases, id)
      if kind == 'b' then redis.call('HINCRBY', key, 'spent', ARGV[b + 4]) end
    elseif kind == 'b' and redis.call('HDEL', key, 'x:' .. id) == 1 then
      -- its lease expired and freed what it held; the use still happened, and counts once
      redis.call('HINCRBY', key, 'spent', ARGV[b + 4])
    end
  end
end
return 1
