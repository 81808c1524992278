import { once } from 'node:events';
import { Redis } from 'ioredis';

/**
 * A Redis client whose keys all carry the deployment's prefix (tests give each run its own).
 *
 * Built to fail fast and heal by itself: while disconnected, commands fail at once (no offline
 * queue to pile up behind a dead connection), a command on a silent connection gives up after
 * `commandTimeoutMs` (REDIS_COMMAND_TIMEOUT_MS), and reconnection is retried forever at most a second
 * apart. Callers turn the failure into a 503; nothing needs a restart when Redis comes back.
 */
export function createRedis(url: string, keyPrefix: string, commandTimeoutMs: number): Redis {
  return new Redis(url, {
    keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: 1_000,
    commandTimeout: commandTimeoutMs,
    retryStrategy: (times) => Math.min(50 * 2 ** times, 1_000),
  });
}

/**
 * Closes politely when connected (QUIT lets replies in flight arrive), else just stops: QUIT
 * needs a live connection, and without one the client would go on reconnecting forever.
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
}

/** Waits for the first connection, but never longer than `ms`: the app still starts without Redis. */
export async function whenReady(redis: Redis, ms = 2_000): Promise<boolean> {
  if (redis.status === 'ready') return true;
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(), ms);
  try {
    await once(redis, 'ready', { signal: timer.signal });
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timeout);
  }
}
