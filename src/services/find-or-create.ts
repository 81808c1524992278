import { isUniqueViolation } from './prisma-errors';

/**
 * Read, else create; when a concurrent request creates the same row first (unique violation),
 * read the winner's. Two first sign-ins racing still make one account.
 */
export async function findOrCreate<T>(find: () => Promise<T | null>, create: () => Promise<T>): Promise<{ row: T; created: boolean }> {
  const existing = await find();
  if (existing) return { row: existing, created: false };
  try {
    return { row: await create(), created: true };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const winner = await find();
    if (!winner) throw err;
    return { row: winner, created: false };
  }
}
