import { DatabaseError } from 'pg';
import { Prisma } from '../generated/prisma/client';

/**
 * A unique index refused the write: Prisma's P2002 from a model query, P2010 (raw query failed)
 * whose driver error is PostgreSQL's 23505, or that 23505 straight from node-postgres (place_order,
 * which goes around Prisma's raw-query layer). `target` narrows it to one index (matched against
 * its fields or name).
 */
export function isUniqueViolation(err: unknown, target?: string): boolean {
  if (err instanceof DatabaseError) return err.code === '23505' && (!target || (err.constraint ?? '').includes(target));
  if (!(err instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const raw = err.code === 'P2010' && JSON.stringify(err.meta ?? {}).includes('"originalCode":"23505"');
  if (err.code !== 'P2002' && !raw) return false;
  if (!target) return true;
  return JSON.stringify(err.meta ?? {}).includes(target);
}

/**
 * A foreign key refused the write (the row it names was deleted meanwhile): Prisma's P2003 from a
 * model query, P2010 whose driver error is PostgreSQL's 23503, or that 23503 from node-postgres.
 */
export function isForeignKeyViolation(err: unknown): boolean {
  if (err instanceof DatabaseError) return err.code === '23503';
  if (!(err instanceof Prisma.PrismaClientKnownRequestError)) return false;
  return err.code === 'P2003' || (err.code === 'P2010' && JSON.stringify(err.meta ?? {}).includes('"originalCode":"23503"'));
}
