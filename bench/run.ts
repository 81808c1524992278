// `npm run bench`: seeds its own database, starts the built server, and measures it with
// autocannon at fixed concurrency. Prints requests/s, p50/p99 latency, unexpected statuses and
// the server's peak RSS. Numbers belong in the README only from this script, never from tests.
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { ensureDatabase, migrate } from '../src/db/migrate';
import { seedStore } from './seed';
import { startServer, type ServerProcess } from '../scripts/lib/server-process';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 3000);
const ADDRESS = { line1: '1 Bench Road', city: 'Pune', pincode: '411001' };

interface Row {
  scenario: string;
  rps: number;
  p50: number;
  p99: number;
  unexpected: number;
  total: number;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${url} -> ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Runs `n` async jobs, `width` at a time. */
async function inBatches<T>(n: number, width: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await job(i);
      }
    }),
  );
  return out;
}

async function measure(scenario: string, expected: number[], opts: autocannon.Options): Promise<Row> {
  // A fixed `amount` of requests replaces the duration (autocannon takes one or the other).
  const result = await autocannon({ connections: CONNECTIONS, ...(opts.amount ? {} : { duration: DURATION }), ...opts });
  const stats = (result as unknown as { statusCodeStats: Record<string, { count: number }> }).statusCodeStats ?? {};
  let unexpected = result.errors + result.timeouts;
  let total = 0;
  for (const [code, { count }] of Object.entries(stats)) {
    total += count;
    if (!expected.includes(Number(code))) unexpected += count;
  }
  return { scenario, rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, unexpected, total };
}

async function main(): Promise<void> {
  const runId = `${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  const base = new URL(process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/dukaan_bench_${runId}`;
  const databaseUrl = base.toString();
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
  const prefix = `bench:${runId}:`;

  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  const shop = await seedStore(databaseUrl, 'bench-kirana', 200);

  let server: ServerProcess | undefined;
  const rows: Row[] = [];
  try {
    server = await startServer({
      DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'warn', NODE_ENV: 'production',
      JWT_SECRET: randomBytes(32).toString('hex'), PUBLIC_BASE_URL: 'http://localhost:3000',
    });
    const api = `${server.url}/api/v1`;
    console.log(`bench: server at ${server.url}, ${CONNECTIONS} connections, ${DURATION}s per scenario\n`);

    rows.push(await measure('store by link', [200], { url: `${api}/stores/${shop.slug}` }));
    rows.push(await measure('catalog (200 products)', [200], { url: `${api}/stores/${shop.slug}/catalog` }));
    const etag = (await fetch(`${api}/stores/${shop.slug}/catalog`)).headers.get('etag')!;
    rows.push(await measure('catalog, If-None-Match', [304], { url: `${api}/stores/${shop.slug}/catalog`, headers: { 'if-none-match': etag } }));

    // Cart add: many carts, each request adds one unit of another product, so no line nears 99.
    const carts = await inBatches(1000, 50, async () => (await post(`${api}/carts`, { storeLink: shop.slug })).id as string);
    let adds = 0;
    rows.push(
      await measure('cart add', [200], {
        url: server.url,
        requests: [{
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => {
            const n = adds++;
            req.path = `/api/v1/carts/${carts[n % carts.length]}/items`;
            req.body = JSON.stringify({ productId: shop.productIds[Math.floor(n / carts.length) % shop.productIds.length], qty: 1, storeLink: shop.slug });
            return req;
          },
        }],
      }),
    );

    // Order placement: fresh one-line carts, 50 customers, unlimited stock: no contention.
    const customers = await inBatches(50, 25, async (i) => {
      const mobile = `98${String(runId.length * 1000 + i).padStart(8, '0')}`;
      return (await post(`${api}/customer/auth`, { mobile, otp: '1234' })).token as string;
    });
    const orderCarts = await inBatches(ORDERS, 50, async (i) => {
      const id = (await post(`${api}/carts`, { storeLink: shop.slug })).id as string;
      await post(`${api}/carts/${id}/items`, { productId: shop.productIds[i % shop.productIds.length], qty: 1 + (i % 3), storeLink: shop.slug });
      return id;
    });
    let placed = 0;
    rows.push(
      await measure('order placement', [201], {
        url: server.url,
        amount: ORDERS,
        requests: [{
          method: 'POST',
          setupRequest: (req) => {
            const n = placed++;
            req.path = '/api/v1/orders';
            req.headers = { 'content-type': 'application/json', authorization: `Bearer ${customers[n % customers.length]}` };
            req.body = JSON.stringify({ cartId: orderCarts[n % orderCarts.length], address: ADDRESS });
            return req;
          },
        }],
      }),
    );

    const rss = server.peakRssMiB();
    console.log('| scenario | requests/s | p50 ms | p99 ms | unexpected status | requests |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const r of rows) console.log(`| ${r.scenario} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.unexpected} | ${r.total} |`);
    console.log(`\nserver peak RSS: ${rss ?? 'n/a'} MiB`);
    if (rows.some((r) => r.unexpected > 0)) process.exitCode = 1;
  } finally {
    await server?.stop();
    const admin = new Client({ connectionString: Object.assign(new URL(databaseUrl), { pathname: '/postgres' }).toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${base.pathname.slice(1)}" WITH (FORCE)`);
    await admin.end();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
