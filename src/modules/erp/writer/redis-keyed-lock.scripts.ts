/**
 * The Lua scripts of RedisKeyedLock (src/modules/erp/writer/redis-keyed-lock.ts): each one atomic step on the lock's
 * keys in Redis.
 */

/** What the acquire script answers when another holder has the key. */
export const NOT_TAKEN = -3;

/**
 * SET NX with the lease; when taken, the time left on the key's create-in-doubt marker (-2: none) and whether the
 * lock's state mark is there (0: Redis lost or never had the lock's state). -3: not taken.
 */
/**
 * Takes the key unless held, answering the create-in-doubt marker's time left and whether the lock's state mark was
 * there. A holder that finds no mark sets it to `pending:<token>` (expiring) and records the loss in PostgreSQL; until
 * it has, every other acquirer is refused as if the key were held, so none creates on a state not yet recorded, and
 * holders of a first start never race each other into recording a loss that did not happen.
 */
export const ACQUIRE_SCRIPT = `
local state = redis.call('get', KEYS[3])
if state and string.sub(state, 1, 8) == 'pending:' then
  return ${NOT_TAKEN}
end
if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  if state then
    return { redis.call('pttl', KEYS[2]), 1 }
  end
  redis.call('set', KEYS[3], 'pending:' .. ARGV[1], 'PX', ARGV[3])
  return { redis.call('pttl', KEYS[2]), 0 }
end
return ${NOT_TAKEN}`;
/** Sets the state mark for good, unless another holder's pending mark replaced ours (it records as well). */
export const MARK_STATE_SCRIPT = `
local state = redis.call('get', KEYS[1])
if state == false or state == ('pending:' .. ARGV[1]) then
  redis.call('set', KEYS[1], ARGV[2])
end
return 1`;
/** Drops our pending state mark, so that the next acquirer records the loss instead. */
export const DROP_PENDING_SCRIPT = `
if redis.call('get', KEYS[1]) == ('pending:' .. ARGV[1]) then
  return redis.call('del', KEYS[1])
end
return 0`;
/** How long a pending state mark holds other acquirers back should its holder die before recording. */
export const PENDING_STATE_MS = 10_000;
/** Renews the lease only while the key still holds our token (the lock was neither wiped nor taken over). */
export const RENEW_SCRIPT = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0`;
/** Deletes the key only while it holds our token: a lapsed holder never frees another holder's lock. */
export const RELEASE_SCRIPT = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0`;
/** Sets the create-in-doubt marker unless one that lasts longer is there already. */
export const MARK_IN_DOUBT_SCRIPT = `
if redis.call('pttl', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1`;
