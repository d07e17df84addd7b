/**
 * The Lua script of ErpWriteGate (src/modules/erp/writer/erp-write-gate.ts): taking one permit of the shared
 * concurrency limit in one atomic round trip to Redis.
 */

/**
 * Reads the gate's epoch (set to ARGV[5] when Redis has none: a first start or a restart), the shared learnt limit and
 * the shared cool-down; takes a permit only when the epoch is the one the caller knows (ARGV[4]), no cool-down holds
 * and fewer permits than the limit are leased. The limit is the shared learnt one (its JSON `value`, clamped to 1 …
 * ARGV[7]), else the caller's own (ARGV[6]). The permits are a sorted set of holders scored by when they took their
 * permit, as redis-semaphore keeps them: a lease older than ARGV[2] ms has expired (its holder died) and is dropped.
 *
 * KEYS: epoch, cool-down-until, shared limit (JSON), permits (sorted set).
 * ARGV: now (ms), lease (ms), holder id, known epoch ('' when none), new epoch, own limit, hard cap.
 * Answers { taken (1/0), epoch, shared limit JSON or '', cool-down left in ms (0: none) }.
 */
export const TAKE_PERMIT_SCRIPT = `
local epoch = redis.call('get', KEYS[1])
if not epoch then
  epoch = ARGV[5]
  redis.call('set', KEYS[1], epoch)
end
local shared = redis.call('get', KEYS[3]) or ''
if epoch ~= ARGV[4] then
  return { 0, epoch, shared, 0 }
end
local now = tonumber(ARGV[1])
local coolDownLeft = tonumber(redis.call('get', KEYS[2]) or '0') - now
if coolDownLeft > 0 then
  return { 0, epoch, shared, coolDownLeft }
end
local limit = tonumber(ARGV[6])
if shared ~= '' then
  local ok, state = pcall(cjson.decode, shared)
  if ok and type(state) == 'table' and type(state.value) == 'number' then
    limit = math.max(1, math.min(math.floor(state.value), tonumber(ARGV[7])))
  end
end
local lease = tonumber(ARGV[2])
redis.call('zremrangebyscore', KEYS[4], '-inf', now - lease)
if redis.call('zcard', KEYS[4]) < limit then
  redis.call('zadd', KEYS[4], now, ARGV[3])
  redis.call('pexpire', KEYS[4], lease)
  return { 1, epoch, shared, 0 }
end
return { 0, epoch, shared, 0 }`;
