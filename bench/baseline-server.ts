// The bench's yardstick: the same work with no framework. A plain node:http server that answers
// the catalog with one hand-written SQL query through pg (grouped and serialized in JS, as one
// would write it by hand), and a cart add with one ioredis command: the app's own cart script,
// answered with the whole cart built by hand. No validation, no auth, no errors worth the name:
// the upper bound of what this machine does for these endpoints. A bare HINCRBY answering a
// counter is there too, as the limit of a cart add that does none of the contract's work.
import http from 'node:http';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { ARCHIVED_KEY } from '../src/services/archived-products';
import { CartScripts, type LineFields } from '../src/services/cart-scripts';
import { MAX_LINE_QTY, MAX_LINES } from '../src/services/cart.service';
import { StoreVersions } from '../src/services/store-versions';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0', { keyPrefix: process.env.REDIS_KEY_PREFIX });
const base = process.env.PUBLIC_BASE_URL ?? 'http://localhost:3000';
const imageUrl = (image: string | null) => (image && !/^https?:\/\//.test(image) ? `${base}/uploads/${image}` : image);

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
      id: r.id,
      storeId: r.store_id,
      name: r.name,
      description: r.description,
      mrp: r.mrp,
      salePrice: r.sale_price,
      category: { id: r.category_id, name: r.category_name },
      image: imageUrl(r.image),
      stock: r.stock,
      active: true,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    });
  }
  const sorted = [...categories.values()].sort((a, b) => b.productCount - a.productCount || (a.name < b.name ? -1 : 1));
  for (const c of sorted) (c.products as Array<{ name: string }>).sort((a, b) => (a.name < b.name ? -1 : 1));
  const s = rows[0];
  return JSON.stringify({
    store: { id: s.store_id, name: s.store_name, address: s.address, slug: s.slug, link: `${base}/${s.slug}` },
    categories: sorted,
  });
}

interface Product {
  id: string;
  storeId: string;
  line: LineFields;
  stock: number | null;
  available: boolean;
  version: string;
}

const scripts = new CartScripts(redis);
const CART_TTL_SECONDS = 7 * 24 * 3600;

// Products as a hand-written per-process cache would hold them: read once, with the store's
// version read first (the app's snapshots, without their invalidation on change).
const products = new Map<string, Promise<Product>>();
function product(id: string): Promise<Product> {
  let p = products.get(id);
  if (!p) {
    p = (async () => {
      const {
        rows: [r],
      } = await pool.query(
        `SELECT id, store_id, name, image, (mrp * 100)::int AS mrp, (sale_price * 100)::int AS sale_price, stock,
                active AND archived_at IS NULL AS available
         FROM products WHERE id = $1`,
        [id],
      );
      const version = (await redis.hget(StoreVersions.key(r.store_id), 'any')) ?? '';
      return {
        id: r.id,
        storeId: r.store_id,
        stock: r.stock,
        available: r.available,
        version,
        line: { n: r.name, i: r.image, m: r.mrp, s: r.sale_price },
      };
    })();
    products.set(id, p);
  }
  return p;
}

const rupees = (paise: number) => paise / 100;

/** The contract's cart from the script's answer (the cart hash). */
function cartJson(id: string, fields: Map<string, string>): string {
  let storeId = '',
    slug = '',
    updatedAt = 0;
  const lines: Array<{ productId: string; l: LineFields & { q: number; o: number } }> = [];
  for (const [k, v] of fields) {
    if (k.startsWith('l:')) lines.push({ productId: k.slice(2), l: JSON.parse(v) });
    else if (k === 'store') storeId = v;
    else if (k === 'slug') slug = v;
    else if (k === 'updatedAt') updatedAt = Number(v);
  }
  lines.sort((a, b) => a.l.o - b.l.o);
  let itemCount = 0,
    mrpTotal = 0,
    subtotal = 0;
  const items = lines.map(({ productId, l }) => {
    itemCount += l.q;
    mrpTotal += l.m * l.q;
    subtotal += l.s * l.q;
    return { productId, name: l.n, image: imageUrl(l.i), mrp: rupees(l.m), salePrice: rupees(l.s), qty: l.q, lineTotal: rupees(l.s * l.q) };
  });
  return JSON.stringify({
    id,
    storeId,
    storeLink: `${base}/${slug}`,
    items,
    itemCount,
    mrpTotal: rupees(mrpTotal),
    subtotal: rupees(subtotal),
    savings: rupees(mrpTotal - subtotal),
    updatedAt: new Date(updatedAt).toISOString(),
  });
}

function readJson(req: http.IncomingMessage, then: (body: Record<string, string | number>) => void): void {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => then(JSON.parse(body)));
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
  const cartMatch = /^\/(carts|counters)\/([0-9a-f-]{36})\/items$/.exec(url);
  if (req.method === 'POST' && cartMatch?.[1] === 'carts') {
    const cartId = cartMatch[2]!;
    readJson(req, ({ productId, qty, storeLink }) => {
      product(String(productId))
        .then((p) =>
          scripts.add(
            { cart: `cart:${cartId}`, archived: ARCHIVED_KEY, storeVersion: StoreVersions.key(p.storeId) },
            {
              now: Date.now(),
              ttl: CART_TTL_SECONDS,
              emptyTtl: CART_TTL_SECONDS,
              productId: p.id,
              qty: Number(qty),
              stock: p.stock ?? undefined,
              line: p.line,
              maxLines: MAX_LINES,
              maxQty: MAX_LINE_QTY,
              slug: String(storeLink),
              storeId: p.storeId,
              version: p.version || undefined,
              available: p.available,
            },
          ),
        )
        .then(
          (reply) => {
            if ('refused' in reply)
              res.writeHead(409, { 'content-type': 'application/json' }).end(JSON.stringify({ error: reply.refused }));
            else res.writeHead(200, { 'content-type': 'application/json' }).end(cartJson(cartId, reply.fields));
          },
          () => res.writeHead(500).end(),
        );
    });
    return;
  }
  if (req.method === 'POST' && cartMatch?.[1] === 'counters') {
    readJson(req, ({ productId, qty }) => {
      redis.hincrby(`counter:${cartMatch[2]}`, String(productId), Number(qty)).then(
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
