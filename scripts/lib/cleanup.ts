// Throwaway resources of test and bench runs: a database of their own, a Redis key prefix.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';

/**
 * A database and a Redis key prefix of one run's own, named after what runs (`dukaan_<kind>_<id>`,
 * `<kind>:<id>:`), on the servers given (local defaults): runs never collide, and what a run leaves
 * behind says whose it is.
 */
export function runResources(
  kind: string,
  servers: { databaseUrl?: string; redisUrl?: string },
): { runId: string; databaseUrl: string; redisUrl: string; prefix: string } {
  const runId = `${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  const databaseUrl = new URL(servers.databaseUrl ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  databaseUrl.pathname = `/dukaan_${kind}_${runId}`;
  return {
    runId,
    databaseUrl: databaseUrl.toString(),
    redisUrl: servers.redisUrl ?? 'redis://127.0.0.1:6379/0',
    prefix: `${kind}:${runId}:`,
  };
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Deletes every key under `prefix` with SCAN (never KEYS: it would block a shared Redis). */
export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
