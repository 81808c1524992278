// A database of a test file's own, beside the run's: for tests whose app runs the relay, which
// takes every committed event of its database (another file's orders would be texted through
// this file's gateway, or this file's events taken by another file's relay). Dropped with the run's.
import { ensureDatabase, migrate } from '../../src/db/migrate';

export async function ownDatabase(label: string): Promise<string> {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `${url.pathname}_${label}_${Math.random().toString(36).slice(2, 8)}`;
  await ensureDatabase(url.toString());
  await migrate(url.toString());
  return url.toString();
}
