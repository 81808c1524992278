import { deleteRedisPrefix, dropDatabase } from '../../scripts/lib/cleanup';

export default async function globalTeardown(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL!;
  // Only what global-setup made: never a database this run did not create.
  if (!new URL(databaseUrl).pathname.startsWith('/dukaan_test_')) return;
  await dropDatabase(databaseUrl);
  await deleteRedisPrefix(process.env.REDIS_URL!, process.env.REDIS_KEY_PREFIX!);
}
