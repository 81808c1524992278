import { Redis } from 'ioredis';

/**
 * A Redis client whose keys all carry the deployment's prefix (tests give each run its own).
 * Commands fail after a bounded time instead of waiting for a connection that may never come.
 */
export function createRedis(url: string, keyPrefix: string): Redis {
  return new Redis(url, {
    keyPrefix,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
}
