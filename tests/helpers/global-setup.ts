// Once per `npm test`: a database of this run's own, migrated by the project's applier (so the
// applier itself is exercised), and a Redis key prefix of its own. Runs never collide.
import { ensureDatabase, migrate } from '../../src/db/migrate';
import { runResources } from '../../scripts/lib/cleanup';

export default async function globalSetup(): Promise<void> {
  const run = runResources('test', { databaseUrl: process.env.TEST_DATABASE_URL, redisUrl: process.env.TEST_REDIS_URL });
  process.env.DATABASE_URL = run.databaseUrl;
  process.env.REDIS_URL = run.redisUrl;
  process.env.REDIS_KEY_PREFIX = run.prefix;
  await ensureDatabase(process.env.DATABASE_URL);
  await migrate(process.env.DATABASE_URL);
}
