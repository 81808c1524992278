import type { Redis } from 'ioredis';
import { RateLimitedError } from '../domain/errors';

// INCR and set the window's expiry in one step, so a crash between the two cannot leave a
// counter that never expires. Returns [count, milliseconds left in the window].
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

export interface Limit {
  key: string;
  max: number;
  windowSeconds: number;
}

/**
 * Fixed-window counters in Redis, shared by every server instance. Each call counts against all
 * the given limits and fails with 429 (and the longest Retry-After) if any is exceeded.
 */
export class RateLimiter {
  constructor(private readonly redis: Redis) {}

  async hit(limits: Limit[], message = 'Too many requests. Try again later.'): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const l of limits) pipeline.eval(HIT, 1, `ratelimit:${l.key}`, String(l.windowSeconds * 1000));
    const results = (await pipeline.exec()) ?? [];
    let retryAfterMs = 0;
    results.forEach(([err, value], i) => {
      if (err) throw err;
      const [count, ttl] = value as [number, number];
      if (count > limits[i]!.max) retryAfterMs = Math.max(retryAfterMs, ttl);
    });
    if (retryAfterMs > 0) {
      throw new RateLimitedError(Math.max(1, Math.ceil(retryAfterMs / 1000)), message);
    }
  }

  /** 429 if `limit` is used up already; counts nothing (a budget that only failures spend). */
  async check(limit: Limit, message = 'Too many requests. Try again later.'): Promise<void> {
    const key = `ratelimit:${limit.key}`;
    const [count, ttl] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
    if (Number(count ?? 0) >= limit.max && ttl > 0) throw new RateLimitedError(Math.max(1, Math.ceil(ttl / 1000)), message);
  }

  /** Spends one of `limit`'s budget (see `check`). */
  async spend(limit: Limit): Promise<void> {
    await this.redis.eval(HIT, 1, `ratelimit:${limit.key}`, String(limit.windowSeconds * 1000));
  }
}
