import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient } from '../generated/prisma/client';

export type Db = PrismaClient;

const pools = new WeakMap<Db, Pool>();

/** A Prisma client over node-postgres: no native query engine involved. */
export function createPrisma(databaseUrl: string, options: { max?: number } = {}): PrismaClient {
  const pool = new Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    // Fail within seconds when PostgreSQL is unreachable (refused, or silently gone) instead of
    // letting requests hang; the pool makes new connections by itself once it is back.
    connectionTimeoutMillis: 3_000,
    query_timeout: 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // An idle connection that breaks (PostgreSQL restarted) is dropped and replaced by the pool; the
  // event must have a listener, or it would end the process.
  pool.on('error', () => undefined);
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/**
 * The node-postgres pool under a client made by createPrisma (the same connections), for a
 * statement that goes around Prisma's raw-query layer: only place_order, run by every checkout,
 * where that layer's cost showed in the bench (docs/performance.md). Everything else, raw SQL
 * included, goes through Prisma.
 */
export function poolOf(db: Db): Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('poolOf: not a client made by createPrisma');
  return pool;
}
