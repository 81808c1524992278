// The race branch of findOrCreate, made to happen every time: the integration test of eight
// parallel first sign-ins proves one account results, but whether the race opens is up to timing.
import { Prisma } from '../../src/generated/prisma/client';
import { findOrCreate } from '../../src/services/find-or-create';

const uniqueViolation = () =>
  new Prisma.PrismaClientKnownRequestError('Unique constraint failed', {
    code: 'P2002',
    clientVersion: 'test',
    meta: { target: ['mobile'] },
  });

describe('findOrCreate', () => {
  test('an existing row is returned and nothing is created', async () => {
    const create = jest.fn(async () => 'new');
    expect(await findOrCreate(async () => 'old', create)).toEqual({ row: 'old', created: false });
    expect(create).not.toHaveBeenCalled();
  });

  test('a missing row is created', async () => {
    expect(
      await findOrCreate(
        async () => null,
        async () => 'new',
      ),
    ).toEqual({ row: 'new', created: true });
  });

  test('when a concurrent request created the row first, its row is returned, not created', async () => {
    const rows: Array<string | null> = [null, 'winner'];
    const find = jest.fn(async () => rows.shift() ?? null);
    const result = await findOrCreate(find, async () => {
      throw uniqueViolation();
    });
    expect(result).toEqual({ row: 'winner', created: false });
    expect(find).toHaveBeenCalledTimes(2);
  });

  test('other failures, and a unique violation with no row behind it, are passed on', async () => {
    const other = new Error('connection lost');
    await expect(
      findOrCreate(
        async () => null,
        async () => Promise.reject(other),
      ),
    ).rejects.toBe(other);
    const violation = uniqueViolation();
    await expect(
      findOrCreate(
        async () => null,
        async () => Promise.reject(violation),
      ),
    ).rejects.toBe(violation);
  });
});
