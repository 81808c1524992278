import { Prisma } from '../generated/prisma/client';

/** Prisma's P2002: a unique index refused the write. `target` narrows it to one index's fields. */
export function isUniqueViolation(err: unknown, target?: string): boolean {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError) || err.code !== 'P2002') return false;
  if (!target) return true;
  return JSON.stringify(err.meta ?? {}).includes(target);
}
