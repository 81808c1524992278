// Applies prisma/migrations the way `prisma migrate deploy` would, with node-postgres, so the
// app migrates itself where Prisma's native schema engine cannot be downloaded. The bookkeeping
// (table `_prisma_migrations`, checksums, advisory lock) is Prisma's own, so `migrate deploy`
// and `migrate status` on another machine see these migrations as applied.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';

/** The lock id Prisma Migrate takes, so our applier and Prisma's never run at once. */
const PRISMA_ADVISORY_LOCK = 72707369;

/** prisma/migrations of this project, found from here whether running from src/ or dist/src/. */
export const MIGRATIONS_DIR = findUp(__dirname, path.join('prisma', 'migrations'));

function findUp(from: string, relative: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.resolve(relative);
  }
}

export interface MigrateResult {
  applied: string[];
}

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(path.join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
}

/** Creates the database named in the URL when it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!name) return;
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${quoteIdent(name)}`).catch((err: { code?: string }) => {
        // 42P04: another process created it between our check and our create.
        if (err.code !== '42P04') throw err;
      });
    }
  } finally {
    await admin.end();
  }
}

export async function migrate(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<MigrateResult> {
  const migrations = await loadMigrations(dir);
  const schema = new URL(databaseUrl).searchParams.get('schema') ?? 'public';
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    await client.query(`SET search_path TO ${quoteIdent(schema)}`);
    await ensureBookkeeping(client, schema);
    const rows = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL',
    );
    const done = new Map(rows.rows.map((r) => [r.migration_name, r]));
    for (const m of migrations) {
      const row = done.get(m.name);
      if (row && row.finished_at === null) {
        throw new Error(
          `Migration ${m.name} failed earlier and blocks the ones after it (Prisma's P3009). ` +
            'Fix the database, then mark it rolled back or applied with `prisma migrate resolve`.',
        );
      }
      if (row) continue;
      await apply(client, m);
      applied.push(m.name);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => undefined);
    await client.end();
  }
  return { applied };
}

async function ensureBookkeeping(client: Client, schema: string): Promise<void> {
  const exists = await client.query(
    "SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = '_prisma_migrations'",
    [schema],
  );
  if (exists.rowCount) return;
  const tables = await client.query(
    "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'",
    [schema],
  );
  if ((tables.rows[0] as { n: number }).n > 0) {
    throw new Error(
      `The database schema "${schema}" is not empty and has no migration history (Prisma's P3005). ` +
        'Baseline it (prisma migrate resolve --applied <name>) or use an empty database.',
    );
  }
  await client.query(`CREATE TABLE _prisma_migrations (
    id                  VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum            VARCHAR(64) NOT NULL,
    finished_at         TIMESTAMPTZ,
    migration_name      VARCHAR(255) NOT NULL,
    logs                TEXT,
    rolled_back_at      TIMESTAMPTZ,
    started_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count INTEGER NOT NULL DEFAULT 0
  )`);
}

/** A file that runs its own transaction (or cannot run inside one) is applied as it is. */
export function managesOwnTransaction(sql: string): boolean {
  // Function bodies ($$ … $$) have BEGIN lines of their own: they say nothing about the file.
  const code = sql.replace(/--.*$/gm, '').replace(/\$(\w*)\$[\s\S]*?\$\1\$/g, '');
  return /^\s*(BEGIN|COMMIT|START\s+TRANSACTION)\b/im.test(code) || /\bCONCURRENTLY\b/i.test(code);
}

async function apply(client: Client, m: Migration): Promise<void> {
  const id = randomUUID();
  if (managesOwnTransaction(m.sql)) {
    await client.query('INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())', [
      id,
      m.checksum,
      m.name,
    ]);
    try {
      await client.query(m.sql);
    } catch (err) {
      // Left unfinished, as Prisma does: it blocks later migrations until someone resolves it.
      await client.query('UPDATE _prisma_migrations SET logs = $2 WHERE id = $1', [id, String(err)]);
      throw err;
    }
    await client.query('UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
    return;
  }
  // File and bookkeeping row in one transaction: a failure leaves no trace to resolve by hand.
  await client.query('BEGIN');
  try {
    // The file goes to PostgreSQL whole, as one simple-protocol query (no parameters).
    await client.query(m.sql);
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [id, m.checksum, m.name],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
