import { Redis } from 'ioredis';
import { Client } from 'pg';
import { adminUrl } from './test-env';

export default async function globalTeardown(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL!;
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!name.startsWith('dukaan_test_')) return;
  const admin = new Client({ connectionString: adminUrl(databaseUrl) });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();

  const redis = new Redis(process.env.REDIS_URL!);
  const prefix = process.env.REDIS_KEY_PREFIX!;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}
