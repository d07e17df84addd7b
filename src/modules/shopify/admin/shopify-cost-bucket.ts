import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import {
  initialBucketState,
  levelAt,
  reserve,
  settle,
  type BucketState,
  type ThrottleStatus,
} from 'src/modules/shopify/admin/cost-bucket.math';

/** A reservation of points, to be settled once the answer (or the failure) is known. */
export interface CostReservation {
  readonly id: string;
  readonly cost: number;
  /** How long the sender must wait before sending. */
  readonly waitMs: number;
  /** Bucket level right after the reservation (may be negative). */
  readonly level: number;
}

export interface SettleOutcome {
  throttleStatus?: ThrottleStatus;
  /** Points Shopify did not charge (e.g. a 401 before execution); only used without a throttleStatus. */
  refund?: number;
}

/** The shop's Admin API bucket as every process of this deployment sees it. */
export interface CostBucket {
  reserve(cost: number): Promise<CostReservation>;
  settle(reservation: CostReservation, outcome: SettleOutcome): Promise<void>;
  /** Current modelled level (for the gauge). */
  level(): Promise<number>;
}

/**
 * How long an unsettled reservation counts as in flight: beyond it (a crashed process) it stops being subtracted
 * from Shopify's figures.
 */
const DEFAULT_LEASE_MS = 60_000;
/** Redis keeps the model only while it is in use; an expired model restarts conservatively. */
const STATE_TTL_SECONDS = 600;

/*
 * KEYS[1] state hash, KEYS[2] pending reservations (zset; member "id|cost", score = lease expiry ms).
 * Time comes from the Redis server so that every process shares one clock (Redis ≥ 5 replicates script effects,
 * so TIME is allowed before writes).
 */
const LUA_PRELUDE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local s = redis.call('HMGET', KEYS[1], 'capacity', 'rate', 'available', 'ts', 'learned')
local capacity = tonumber(s[1])
local rate, available, ts, learned
if capacity == nil then
  capacity = tonumber(ARGV[1]); rate = tonumber(ARGV[2]); available = 0; ts = now; learned = 0
else
  rate = tonumber(s[2]); available = tonumber(s[3]); ts = tonumber(s[4]); learned = tonumber(s[5])
end
local elapsed = now - ts
if elapsed < 0 then elapsed = 0 end
local level = math.min(capacity, available + elapsed * rate / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
`;

// ARGV: defaultCapacity, defaultRate, ttlSeconds, cost, member, leaseMs
const RESERVE_LUA = `${LUA_PRELUDE}
local cost = tonumber(ARGV[4])
level = level - cost
local wait = 0
if level < 0 then wait = math.ceil(-level * 1000 / rate) end
redis.call('HSET', KEYS[1], 'capacity', capacity, 'rate', rate, 'available', tostring(level), 'ts', now, 'learned', learned)
redis.call('ZADD', KEYS[2], now + wait + tonumber(ARGV[6]), ARGV[5])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[3]))
return {wait, tostring(level)}
`;

// ARGV: defaultCapacity, defaultRate, ttlSeconds, member, hasStatus (0|1), maximumAvailable, currentlyAvailable,
//       restoreRate, refund
const SETTLE_LUA = `${LUA_PRELUDE}
redis.call('ZREM', KEYS[2], ARGV[4])
if ARGV[5] == '1' then
  local pending = 0
  local members = redis.call('ZRANGE', KEYS[2], 0, -1)
  for _, m in ipairs(members) do
    local sep = string.find(m, '|', 1, true)
    pending = pending + tonumber(string.sub(m, sep + 1))
  end
  capacity = tonumber(ARGV[6]); rate = tonumber(ARGV[8]); level = tonumber(ARGV[7]) - pending; learned = 1
else
  level = math.min(capacity, level + tonumber(ARGV[9]))
end
redis.call('HSET', KEYS[1], 'capacity', capacity, 'rate', rate, 'available', tostring(level), 'ts', now, 'learned', learned)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return tostring(level)
`;

const LEVEL_LUA = `${LUA_PRELUDE}
return tostring(level)
`;

interface ScriptedRedis extends Redis {
  shopifyBucketReserve(k1: string, k2: string, ...args: (string | number)[]): Promise<[number, string]>;
  shopifyBucketSettle(k1: string, k2: string, ...args: (string | number)[]): Promise<string>;
  shopifyBucketLevel(k1: string, k2: string, ...args: (string | number)[]): Promise<string>;
}

/** In-process model (same maths), used when Redis cannot be reached, and by unit tests. */
export class LocalCostBucket implements CostBucket {
  private state: BucketState;
  private readonly pending = new Map<string, { cost: number; expiresAt: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly leaseMs = DEFAULT_LEASE_MS,
  ) {
    this.state = initialBucketState(now());
  }

  reserve(cost: number): Promise<CostReservation> {
    const now = this.now();
    const r = reserve(this.state, cost, now);
    this.state = r.state;
    const id = randomUUID();
    this.pending.set(id, { cost, expiresAt: now + r.waitMs + this.leaseMs });
    return Promise.resolve({ id, cost, waitMs: r.waitMs, level: r.state.available });
  }

  settle(reservation: CostReservation, outcome: SettleOutcome): Promise<void> {
    const now = this.now();
    this.pending.delete(reservation.id);
    let pendingOthers = 0;
    for (const [id, p] of this.pending) {
      if (p.expiresAt <= now) {
        this.pending.delete(id);
      } else {
        pendingOthers += p.cost;
      }
    }
    this.state = settle(this.state, { ...outcome, pendingOthers }, now);
    return Promise.resolve();
  }

  level(): Promise<number> {
    return Promise.resolve(levelAt(this.state, this.now()));
  }

  /** For tests and diagnostics. */
  snapshot(): BucketState {
    return { ...this.state };
  }
}

/**
 * The bucket shared by every process (api, worker, scheduler replicas) through Redis, updated atomically by Lua
 * scripts. Shopify meters per app + shop, so one process's view of the bucket would let N processes each spend the
 * whole budget. If Redis is unreachable the process falls back to its own conservative local model; if Redis was
 * wiped the shared model restarts from "empty" and learns from the next answer. Redis keeps nothing we cannot
 * rebuild.
 */
export class RedisCostBucket implements CostBucket {
  private readonly stateKey: string;
  private readonly pendingKey: string;
  private readonly fallback: LocalCostBucket;
  private readonly redis: ScriptedRedis;
  private readonly local = new Set<string>();

  constructor(
    redis: Redis,
    shopDomain: string,
    private readonly options: { leaseMs?: number; onFallback?: (error: unknown) => void } = {},
  ) {
    this.stateKey = `shopify:bucket:{${shopDomain}}:state`;
    this.pendingKey = `shopify:bucket:{${shopDomain}}:pending`;
    this.fallback = new LocalCostBucket(Date.now, options.leaseMs ?? DEFAULT_LEASE_MS);
    if (!('shopifyBucketReserve' in redis)) {
      redis.defineCommand('shopifyBucketReserve', { numberOfKeys: 2, lua: RESERVE_LUA });
      redis.defineCommand('shopifyBucketSettle', { numberOfKeys: 2, lua: SETTLE_LUA });
      redis.defineCommand('shopifyBucketLevel', { numberOfKeys: 2, lua: LEVEL_LUA });
    }
    this.redis = redis as ScriptedRedis;
  }

  private defaults(): (string | number)[] {
    const init = initialBucketState(0);
    return [init.capacity, init.restoreRate, STATE_TTL_SECONDS];
  }

  async reserve(cost: number): Promise<CostReservation> {
    const id = randomUUID();
    try {
      const [waitMs, level] = await this.redis.shopifyBucketReserve(
        this.stateKey,
        this.pendingKey,
        ...this.defaults(),
        cost,
        `${id}|${cost}`,
        this.options.leaseMs ?? DEFAULT_LEASE_MS,
      );
      return { id, cost, waitMs: Number(waitMs), level: Number(level) };
    } catch (error) {
      this.options.onFallback?.(error);
      const r = await this.fallback.reserve(cost);
      this.local.add(r.id);
      return r;
    }
  }

  async settle(reservation: CostReservation, outcome: SettleOutcome): Promise<void> {
    if (this.local.delete(reservation.id)) {
      return this.fallback.settle(reservation, outcome);
    }
    const s = outcome.throttleStatus;
    try {
      await this.redis.shopifyBucketSettle(
        this.stateKey,
        this.pendingKey,
        ...this.defaults(),
        `${reservation.id}|${reservation.cost}`,
        s ? 1 : 0,
        s?.maximumAvailable ?? 0,
        s?.currentlyAvailable ?? 0,
        s?.restoreRate ?? 0,
        outcome.refund ?? 0,
      );
    } catch (error) {
      this.options.onFallback?.(error);
      await this.fallback.settle(reservation, outcome);
    }
  }

  async level(): Promise<number> {
    try {
      return Number(await this.redis.shopifyBucketLevel(this.stateKey, this.pendingKey, ...this.defaults()));
    } catch {
      return this.fallback.level();
    }
  }
}
