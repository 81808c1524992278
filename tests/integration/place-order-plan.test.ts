// place_order reads the products of an order through the primary key, whatever the size of the
// platform's catalog. Its statements join the cart's lines (a jsonb array, which the planner
// guesses at 100 rows) to products; on their own those joins were planned as scans of every
// product of every store, so each checkout cost more as other stores grew. The function's own
// transaction counts its scans (pg_stat_xact_user_tables), so this test sees the plans it ran.
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { ownDatabase } from '../helpers/database';

let db: Client;

beforeAll(async () => {
  // Its own database: the thousands of products below must not change other files' plans.
  db = new Client({ connectionString: await ownDatabase('plan') });
  await db.connect();
});

afterAll(async () => {
  await db.end();
});

async function storeWithProducts(slug: string, products: number, stock: number | null): Promise<{ storeId: string; productIds: string[] }> {
  const seller = await db.query<{ id: string }>(
    `INSERT INTO accounts (id, mobile, updated_at) VALUES (gen_random_uuid(), $1, now()) RETURNING id`,
    [`+9198${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`],
  );
  const store = await db.query<{ id: string }>(
    `INSERT INTO stores (id, seller_id, name, address, slug, updated_at) VALUES (gen_random_uuid(), $1, $2, 'Pune', $2, now()) RETURNING id`,
    [seller.rows[0]!.id, slug],
  );
  const storeId = store.rows[0]!.id;
  const category = await db.query<{ id: string }>(
    `INSERT INTO categories (id, store_id, name, name_key) VALUES (gen_random_uuid(), $1, 'Tea', 'tea') RETURNING id`,
    [storeId],
  );
  const rows = await db.query<{ id: string }>(
    `INSERT INTO products (id, store_id, category_id, name, mrp, sale_price, stock, updated_at)
     SELECT gen_random_uuid(), $1, $2, 'Product ' || g, 100, 90, $4, now() FROM generate_series(1, $3) AS g RETURNING id`,
    [storeId, category.rows[0]!.id, products, stock],
  );
  return { storeId, productIds: rows.rows.map((r) => r.id) };
}

test('a checkout reads its products by key, not by scanning every store’s catalog', async () => {
  await storeWithProducts('big-neighbour', 5000, null);
  const shop = await storeWithProducts('small-shop', 3, 10);
  const customer = await db.query<{ id: string }>(
    `INSERT INTO customers (id, mobile, updated_at) VALUES (gen_random_uuid(), '+919812345678', now()) RETURNING id`,
  );
  await db.query('ANALYZE products');
  const lines = shop.productIds.slice(0, 2).map((productId) => ({
    id: randomUUID(),
    productId,
    qty: 2,
    name: 'Product',
    mrp: '100.00',
    salePrice: '90.00',
  }));

  await db.query('BEGIN');
  try {
    const placed = await db.query<{ result: { order?: { id: string }; lines?: unknown[]; refused?: string } }>(
      `SELECT place_order($1, $2, $3, $4, NULL, '{"line1":"1 Road"}', $5, 100, 'PENDING', '{"role":"customer"}') AS result`,
      [randomUUID(), shop.storeId, customer.rows[0]!.id, randomUUID(), JSON.stringify(lines)],
    );
    expect(placed.rows[0]!.result.refused).toBeUndefined();
    expect(placed.rows[0]!.result.lines).toHaveLength(2);
    const scans = await db.query<{ seq_scan: string; idx_scan: string }>(
      `SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'products'`,
    );
    expect(Number(scans.rows[0]!.idx_scan)).toBeGreaterThan(0);
    expect(Number(scans.rows[0]!.seq_scan)).toBe(0);
  } finally {
    await db.query('ROLLBACK');
  }
});
