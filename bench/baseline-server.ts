// The bench's yardstick: the same work with no framework. A plain node:http server that answers
// the catalog with one hand-written SQL query through pg (grouped and serialized in JS, as one
// would write it by hand), and a cart add with one ioredis command. No validation, no auth, no
// errors worth the name: the upper bound of what this machine does for these endpoints.
import http from 'node:http';
import { Redis } from 'ioredis';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0', { keyPrefix: process.env.REDIS_KEY_PREFIX });
const base = process.env.PUBLIC_BASE_URL ?? 'http://localhost:3000';

const CATALOG_SQL = `
  SELECT s.id AS store_id, s.name AS store_name, s.address, s.slug,
         p.id, p.name, p.description, p.mrp::float8 AS mrp, p.sale_price::float8 AS sale_price, p.stock, p.image,
         p.created_at, p.updated_at, c.id AS category_id, c.name AS category_name
  FROM stores s
  LEFT JOIN products p ON p.store_id = s.id AND p.active AND p.archived_at IS NULL
  LEFT JOIN categories c ON c.id = p.category_id
  WHERE s.slug = $1`;

async function catalog(slug: string): Promise<string | null> {
  const { rows } = await pool.query(CATALOG_SQL, [slug]);
  if (rows.length === 0) return null;
  const categories = new Map<string, { id: string; name: string; productCount: number; products: unknown[] }>();
  for (const r of rows) {
    if (!r.id) continue;
    let c = categories.get(r.category_id);
    if (!c) categories.set(r.category_id, (c = { id: r.category_id, name: r.category_name, productCount: 0, products: [] }));
    c.productCount += 1;
    c.products.push({
      id: r.id, storeId: r.store_id, name: r.name, description: r.description, mrp: r.mrp, salePrice: r.sale_price,
      category: { id: r.category_id, name: r.category_name },
      image: r.image && !/^https?:\/\//.test(r.image) ? `${base}/uploads/${r.image}` : r.image,
      stock: r.stock, active: true, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
    });
  }
  const sorted = [...categories.values()].sort((a, b) => b.productCount - a.productCount || (a.name < b.name ? -1 : 1));
  for (const c of sorted) (c.products as Array<{ name: string }>).sort((a, b) => (a.name < b.name ? -1 : 1));
  const s = rows[0];
  return JSON.stringify({ store: { id: s.store_id, name: s.store_name, address: s.address, slug: s.slug, link: `${base}/${s.slug}` }, categories: sorted });
}

const server = http.createServer((req, res) => {
  const url = req.url ?? '';
  // The floor: what answering at all costs, to compare with the app's /healthz.
  if (req.method === 'GET' && url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  const catalogMatch = /^\/catalog\/([a-z0-9-]+)$/.exec(url);
  if (req.method === 'GET' && catalogMatch) {
    catalog(catalogMatch[1]!).then(
      (body) => {
        res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(body ?? '{}');
      },
      () => res.writeHead(500).end(),
    );
    return;
  }
  const cartMatch = /^\/carts\/([0-9a-f-]{36})\/items$/.exec(url);
  if (req.method === 'POST' && cartMatch) {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const { productId, qty } = JSON.parse(body) as { productId: string; qty: number };
      redis.hincrby(`cart:${cartMatch[1]}`, productId, qty).then(
        (n) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ productId, qty: n })),
        () => res.writeHead(500).end(),
      );
    });
    return;
  }
  res.writeHead(404).end();
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`baseline listening\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void pool.end();
  redis.disconnect();
});
