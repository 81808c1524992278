// Once per `npm test`: a database of this run's own, migrated by the project's applier (so the
// applier itself is exercised), and a Redis key prefix of its own. Runs never collide.
import { randomBytes } from 'node:crypto';
import { ensureDatabase, migrate } from '../../src/db/migrate';

export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/dukaan_test_${runId}`;
  process.env.DATABASE_URL = base.toString();
  process.env.REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
  process.env.REDIS_KEY_PREFIX = `test:${runId}:`;
  await ensureDatabase(process.env.DATABASE_URL);
  await migrate(process.env.DATABASE_URL);
}
