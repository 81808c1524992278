import { Client } from 'pg';
import { deleteRedisPrefix, dropDatabase } from '../../scripts/lib/cleanup';

export default async function globalTeardown(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL!;
  // Only what global-setup made: never a database this run did not create.
  if (!new URL(databaseUrl).pathname.startsWith('/dukaan_test_')) return;
  // The run's database, and those test files made beside it (helpers/database.ts).
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${name}\\_%`]);
  await client.end();
  for (const { datname } of rows) {
    const own = new URL(databaseUrl);
    own.pathname = `/${datname}`;
    await dropDatabase(own.toString());
  }
  await dropDatabase(databaseUrl);
  await deleteRedisPrefix(process.env.REDIS_URL!, process.env.REDIS_KEY_PREFIX!);
}
