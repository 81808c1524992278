import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { placeOrderAnswer } from '../../src/services/place-order';

const ROOT = path.resolve(__dirname, '../..');
const MIGRATIONS = path.join(ROOT, 'prisma/migrations');

/** The `CREATE [OR REPLACE] FUNCTION place_order … $$;` statement of a SQL text, or null. */
function definition(sql: string): string | null {
  const match = /CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+place_order\s*\([\s\S]*?\n\$\$;/.exec(sql);
  return match ? match[0].replace(/^CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION/, 'CREATE FUNCTION') : null;
}

describe('place_order', () => {
  test('the latest migration that defines it holds exactly the statement of prisma/functions/place_order.sql', () => {
    const latest = readdirSync(MIGRATIONS, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
      .map((name) => definition(readFileSync(path.join(MIGRATIONS, name, 'migration.sql'), 'utf8')))
      .filter((d) => d !== null)
      .pop();
    const source = definition(readFileSync(path.join(ROOT, 'prisma/functions/place_order.sql'), 'utf8'));
    expect(source).not.toBeNull();
    expect(latest).toBe(source);
  });

  const order = {
    id: 'o',
    storeId: 's',
    customerId: 'c',
    status: 'PENDING',
    cartId: 'k',
    idempotencyKey: null,
    address: { line1: 'x' },
    createdAt: '2026-12-01T10:00:00.123+00:00',
    updatedAt: '2026-12-01T10:00:00+00:00',
  };
  const line = { id: 'l', orderId: 'o', productId: 'p', position: 0, name: 'Tea', image: null, mrp: '10.00', salePrice: '9.50', qty: 2 };
  const event = {
    id: 'h',
    orderId: 'o',
    status: 'PENDING',
    at: '2026-12-01T10:00:00.123+00:00',
    actorRole: 'customer',
    actorId: null,
    actorMobile: null,
  };
  const placed = {
    order,
    lines: [line],
    history: [event],
    limited: true,
  };

  test('its answer is parsed into the order as Prisma reads orders: dates and decimals', () => {
    const answer = placeOrderAnswer.parse(placed);
    if ('refused' in answer) throw new Error('parsed as a refusal');
    expect(answer.order.createdAt).toEqual(new Date('2026-12-01T10:00:00.123Z'));
    expect(answer.lines[0]!.salePrice.toFixed(2)).toBe('9.50');
    expect(placeOrderAnswer.parse({ refused: 'out-of-stock', name: 'Tea', stock: 1 })).toEqual({
      refused: 'out-of-stock',
      name: 'Tea',
      stock: 1,
    });
  });

  test('an answer of another shape fails to parse instead of reaching a customer', () => {
    expect(() => placeOrderAnswer.parse({ ...placed, order: { ...order, status: 'LOST' } })).toThrow();
    expect(() => placeOrderAnswer.parse({ ...placed, lines: [{ ...line, mrp: 10 }] })).toThrow();
    expect(() => placeOrderAnswer.parse({ ...placed, limited: undefined })).toThrow();
    expect(() => placeOrderAnswer.parse({ refused: 'out-of-stock', name: 'Tea' })).toThrow();
  });
});
