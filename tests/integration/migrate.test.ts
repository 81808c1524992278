import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { ensureDatabase, loadMigrations, migrate, MIGRATIONS_DIR } from '../../src/db/migrate';
import { dropDatabase } from '../../scripts/lib/cleanup';

// Each test works on a scratch database of its own, dropped afterwards.
const scratch: string[] = [];
function scratchUrl(): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${url.pathname.slice(1)}_m${scratch.length}_${process.pid}`;
  scratch.push(url.pathname.slice(1));
  return url.toString();
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

afterAll(async () => {
  for (const name of scratch) {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    await dropDatabase(url.toString());
  }
});

describe('migration applier', () => {
  test("when the database does not exist, then it is created and every migration applied with Prisma's bookkeeping", async () => {
    const url = scratchUrl();
    await ensureDatabase(url);
    const { applied } = await migrate(url);
    const migrations = await loadMigrations();
    expect(applied).toEqual(migrations.map((m) => m.name));

    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
      rolled_back_at: Date | null;
    }>(
      url,
      'SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM _prisma_migrations ORDER BY migration_name',
    );
    for (const [i, m] of migrations.entries()) {
      const bytes = await readFile(path.join(MIGRATIONS_DIR, m.name, 'migration.sql'));
      expect(rows[i]).toMatchObject({
        migration_name: m.name,
        checksum: createHash('sha256').update(bytes).digest('hex'),
        applied_steps_count: 1,
        rolled_back_at: null,
      });
      expect(rows[i]!.finished_at).toBeInstanceOf(Date);
    }
    const tables = await query<{ table_name: string }>(
      url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['accounts', 'stores', 'categories', 'products', 'customers', 'orders', 'order_lines']),
    );
  });

  test('when run again, or by three processes at once, then nothing is applied twice', async () => {
    const url = scratchUrl();
    await ensureDatabase(url);
    const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, (await loadMigrations()).length]);
    expect((await migrate(url)).applied).toEqual([]);
    const count = await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM _prisma_migrations');
    expect(count[0]!.n).toBe((await loadMigrations()).length);
  });

  test('when the database has tables but no migration history, then it refuses (P3005)', async () => {
    const url = scratchUrl();
    await ensureDatabase(url);
    await query(url, 'CREATE TABLE legacy (id int)');
    await expect(migrate(url)).rejects.toThrow(/P3005/);
  });

  test('when a migration fails, then nothing of it is kept and later runs retry it', async () => {
    const url = scratchUrl();
    await ensureDatabase(url);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    await mkdir(path.join(dir, '20260101000000_good'));
    await writeFile(path.join(dir, '20260101000000_good', 'migration.sql'), 'CREATE TABLE a (id int);');
    await mkdir(path.join(dir, '20260102000000_bad'));
    await writeFile(path.join(dir, '20260102000000_bad', 'migration.sql'), 'CREATE TABLE b (id int);\nSELECT * FROM missing_table;');
    await expect(migrate(url, dir)).rejects.toThrow(/20260102000000_bad/);
    const names = await query<{ migration_name: string }>(url, 'SELECT migration_name FROM _prisma_migrations');
    expect(names.map((n) => n.migration_name)).toEqual(['20260101000000_good']);
    const b = await query(url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'b'");
    expect(b).toHaveLength(0);
  });
});
