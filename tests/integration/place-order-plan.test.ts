// place_order reads the products of an order through the primary key, whatever the size of the
// platform's catalog. Its statements join the cart's lines (a jsonb array, which the planner
// guesses at 100 rows) to products; on their own those joins were planned as scans of every
// product of every store, so each checkout cost more as other stores grew. The function's own
// transaction counts its scans (pg_stat_xact_user_tables), so this test sees the plans it ran.
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { seedStore } from '../../bench/seed';
import { ownDatabase } from '../helpers/database';

let url: string;
let db: Client;

beforeAll(async () => {
  // Its own database: the thousands of products below must not change other files' plans.
  url = await ownDatabase('plan');
  db = new Client({ connectionString: url });
  await db.connect();
});

afterAll(async () => {
  await db.end();
});

/** A store of `products` products (the bench's seeding, straight in SQL), and its id. */
async function storeWithProducts(slug: string, products: number): Promise<{ storeId: string; productIds: string[] }> {
  const { productIds } = await seedStore(url, slug, products);
  const store = await db.query<{ id: string }>('SELECT id FROM stores WHERE slug = $1', [slug]);
  return { storeId: store.rows[0]!.id, productIds };
}

test('a checkout reads its products by key, not by scanning every store’s catalog', async () => {
  await storeWithProducts('big-neighbour', 5000);
  const shop = await storeWithProducts('small-shop', 3);
  const customer = await db.query<{ id: string }>(
    `INSERT INTO customers (id, mobile, updated_at) VALUES (gen_random_uuid(), '+919812345678', now()) RETURNING id`,
  );
  await db.query('ANALYZE products');
  const bought = await db.query<{ id: string; name: string; mrp: string; sale_price: string }>(
    'SELECT id, name, mrp::text, sale_price::text FROM products WHERE id = ANY($1) ORDER BY id',
    [shop.productIds.slice(0, 2)],
  );
  const lines = bought.rows.map((p) => ({ id: randomUUID(), productId: p.id, qty: 2, name: p.name, mrp: p.mrp, salePrice: p.sale_price }));

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
