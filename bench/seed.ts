// Seeds the bench database directly with SQL: one realistic store (200 products in 12
// categories, images as absolute URLs) and a second one with unlimited stock for checkouts.
import { Client } from 'pg';

export const CATEGORIES = [
  'Atta & Flour',
  'Rice',
  'Dal & Pulses',
  'Oil & Ghee',
  'Spices',
  'Dairy',
  'Bakery',
  'Snacks',
  'Beverages',
  'Personal Care',
  'Cleaning',
  'Fruits & Vegetables',
];

export interface Seeded {
  slug: string;
  productIds: string[];
}

export async function seedStore(databaseUrl: string, slug: string, products: number): Promise<Seeded> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const seller = await db.query<{ id: string }>(
      `INSERT INTO accounts (id, mobile, updated_at) VALUES (gen_random_uuid(), $1, now())
       ON CONFLICT (mobile) DO UPDATE SET updated_at = now() RETURNING id`,
      [`+9190000${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`],
    );
    const store = await db.query<{ id: string }>(
      `INSERT INTO stores (id, seller_id, name, address, slug, updated_at) VALUES (gen_random_uuid(), $1, $2, '1 Bench Road, Pune', $3, now()) RETURNING id`,
      [seller.rows[0]!.id, `Bench ${slug}`, slug],
    );
    const storeId = store.rows[0]!.id;
    const categoryIds: string[] = [];
    for (const name of CATEGORIES) {
      const c = await db.query<{ id: string }>(
        `INSERT INTO categories (id, store_id, name, name_key) VALUES (gen_random_uuid(), $1, $2, $3) RETURNING id`,
        [storeId, name, name.toLowerCase()],
      );
      categoryIds.push(c.rows[0]!.id);
    }
    // Skewed sizes, as in a real shop: the first categories hold more products.
    const rows = await db.query<{ id: string }>(
      `INSERT INTO products (id, store_id, category_id, name, description, mrp, sale_price, stock, image, updated_at)
       SELECT gen_random_uuid(), $1, ($2::uuid[])[1 + floor(sqrt(g) * 12 / sqrt($3 + 1))::int % 12],
              'Product ' || lpad(g::text, 5, '0'), 'A good product for the bench, number ' || g,
              (100 + g % 400)::numeric + 0.99, (90 + g % 400)::numeric + 0.49,
              NULL, 'https://images.example.com/products/' || g || '.jpg', now()
       FROM generate_series(1, $3) AS g RETURNING id`,
      [storeId, categoryIds, products],
    );
    return { slug, productIds: rows.rows.map((r) => r.id) };
  } finally {
    await db.end();
  }
}
