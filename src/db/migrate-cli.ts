// `npm run db:migrate`: create the database if needed and apply pending migrations.
import { loadConfig } from '../config';
import { ensureDatabase, migrate } from './migrate';

async function main(): Promise<void> {
  const config = loadConfig();
  await ensureDatabase(config.databaseUrl);
  const { applied } = await migrate(config.databaseUrl);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
