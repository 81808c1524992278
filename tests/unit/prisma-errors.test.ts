import { Prisma } from '../../src/generated/prisma/client';
import { isUniqueViolation } from '../../src/services/prisma-errors';

const known = (code: string, meta: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError('failed', { code, clientVersion: 'test', meta });

describe('isUniqueViolation', () => {
  test('P2002 from a model query, narrowed by its target fields', () => {
    const err = known('P2002', { target: ['slug'] });
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(err, 'slug')).toBe(true);
    expect(isUniqueViolation(err, 'cart')).toBe(false);
  });

  test("a raw query's 23505, narrowed by the index name", () => {
    const err = known('P2010', { driverAdapterError: { cause: { originalCode: '23505', constraint: { index: 'orders_cart_id_key' } } } });
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(err, 'cart')).toBe(true);
    expect(isUniqueViolation(err, 'idempotency')).toBe(false);
  });

  test('other failures are not unique violations', () => {
    expect(isUniqueViolation(known('P2010', { driverAdapterError: { cause: { originalCode: '23503' } } }))).toBe(false);
    expect(isUniqueViolation(known('P2025', {}))).toBe(false);
    expect(isUniqueViolation(new Error('duplicate key value violates unique constraint'))).toBe(false);
  });
});
