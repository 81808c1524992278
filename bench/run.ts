// `npm run bench`: seeds its own database, starts the built server, and measures it with
// autocannon at fixed concurrency. Prints requests/s, p50/p99 latency, unexpected statuses and
// the server's peak RSS. Figures in docs/performance.md come only from this script, never from tests.
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { ensureDatabase, migrate } from '../src/db/migrate';
import { eventsBench } from './events';
import { inBatches } from './in-batches';
import { seedStore } from './seed';
import { deleteRedisPrefix, dropDatabase, runResources } from '../scripts/lib/cleanup';
import { startServer, type ServerProcess } from '../scripts/lib/server-process';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 3000);
const CARTS = 1500;
const CART_ADDS = Number(process.env.BENCH_CART_ADDS ?? 30_000);
const SALE_ORDERS = 2_000;
/** In the catalog flood, the big store's content changes this often, so the flood keeps missing the cache. */
const CHANGE_EVERY_MS = 1_000;
/** `BENCH_ONLY=cart,orders` runs only those groups (floor, catalog, seller, cart, orders, sale, events, abuse, imports, growth); all by default. */
const ONLY = new Set(
  (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean),
);
const runs = (group: string): boolean => ONLY.size === 0 || ONLY.has(group);
const ADDRESS = { line1: '1 Bench Road', city: 'Pune', pincode: '411001' };

/** Resident memory of the app server now, in MiB (set once it runs). */
let appRss: () => number | null = () => null;

interface Row {
  rss?: number | null;
  /** CPU time the answering process spent per request, in ms: steadier than requests/s here. */
  cpuMs?: number | null;
  scenario: string;
  rps: number;
  p50: number;
  p99: number;
  unexpected: number;
  total: number;
}

/**
 * Setup requests. A 503 is tried again, a few times: on a starved machine a Redis reply can be
 * read after the app's 800 ms command timeout, and one such answer should not end a whole run.
 */
async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    if (res.ok) return (await res.json()) as Record<string, unknown>;
    const text = await res.text();
    if (res.status !== 503 || attempt === 3) throw new Error(`POST ${url} -> ${res.status} ${text}`);
    await new Promise((r) => setTimeout(r, 250 * attempt));
  }
}

async function measure(scenario: string, expected: number[], opts: autocannon.Options, target?: ServerProcess): Promise<Row> {
  const cpuBefore = target?.cpuSeconds() ?? null;
  const started = performance.now();
  // A fixed `amount` of requests replaces the duration (autocannon takes one or the other).
  const run = autocannon({ connections: CONNECTIONS, ...(opts.amount ? {} : { duration: DURATION }), ...opts });
  // Timed to the last answer: autocannon ends fixed-amount runs on its one-second tick.
  let lastAnswer = started;
  (run as unknown as EventEmitter).on('response', () => (lastAnswer = performance.now()));
  const result = await run;
  const stats = (result as unknown as { statusCodeStats: Record<string, { count: number }> }).statusCodeStats ?? {};
  let unexpected = result.errors + result.timeouts;
  let total = 0;
  for (const [code, { count }] of Object.entries(stats)) {
    total += count;
    if (!expected.includes(Number(code))) unexpected += count;
  }
  // Answers over the time they took: autocannon's per-second average and whole-second duration
  // are too coarse for short fixed-amount runs (3,000 orders in 11 or 12 s reads as 272 or 250).
  const elapsed = (lastAnswer - started) / 1000;
  const rps = Math.round(total / elapsed);
  const cpuAfter = target?.cpuSeconds() ?? null;
  const cpuMs = cpuBefore !== null && cpuAfter !== null && total > 0 ? Math.round(((cpuAfter - cpuBefore) * 1e6) / total) / 1e3 : null;
  return { scenario, rps, p50: result.latency.p50, p99: result.latency.p99, unexpected, total, rss: appRss(), cpuMs };
}

async function main(): Promise<void> {
  const { databaseUrl, redisUrl, prefix } = runResources('bench', {
    databaseUrl: process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
  });

  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  const shop = await seedStore(databaseUrl, 'bench-kirana', 200);
  const small = await seedStore(databaseUrl, 'bench-20', 20);
  const large = await seedStore(databaseUrl, 'bench-2000', 2000);
  const limited = await seedStore(databaseUrl, 'bench-race', 1);
  const RACE_STOCK = 100;
  const RACERS = 1000;
  /** One statement straight on the bench's database, outside the app (setup and checks). */
  const sql = async (text: string, params: unknown[]) => {
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      return (await db.query(text, params)).rows;
    } finally {
      await db.end();
    }
  };
  const setStock = (productId: string, stock: number | null) => sql('UPDATE products SET stock = $1 WHERE id = $2', [stock, productId]);
  await setStock(limited.productIds[0]!, RACE_STOCK);

  let server: ServerProcess | undefined;
  let baseline: ServerProcess | undefined;
  const rows: Row[] = [];
  const ratios: Array<{ scenario: string; app: number; baseline: number }> = [];
  try {
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(32).toString('hex'),
      PUBLIC_BASE_URL: 'http://localhost:3000',
      // The load comes from one address and 50 customers, far past the abuse limits meant for
      // anonymous scripts; the bench measures speed, so they are lifted. Sign-ins accept any OTP.
      OTP_BYPASS_ALLOWED: 'true',
      AUTH_RATE_LIMIT_PER_IP: '1000000',
      CART_RATE_LIMIT_PER_IP: '1000000',
      OPEN_ORDERS_PER_CUSTOMER: '1000000',
      // The events group holds 5,000 streams from this one address.
      STREAMS_PER_IP: '100000',
      // Its webhook receiver listens on loopback.
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    };
    // BENCH_NODE_ARGS: flags for the app's node, e.g. `--cpu-prof --cpu-prof-dir=prof`.
    server = await startServer(env, { nodeArgs: (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean) });
    appRss = () => server!.rssMiB();
    baseline = await startServer(env, { script: 'bench/baseline-server.ts', readyPath: `/catalog/${shop.slug}` });
    const api = `${server.url}/api/v1`;
    console.log(`bench: app at ${server.url}, baseline at ${baseline.url}, ${CONNECTIONS} connections, ${DURATION}s per scenario\n`);

    if (runs('floor')) {
      // No I/O on either side: what the framework and middleware cost before any work is done.
      const appFloor = await measure('liveness (no I/O)', [200], { url: `${server.url}/healthz` }, server);
      const baseFloor = await measure('baseline liveness (no I/O)', [200], { url: `${baseline.url}/healthz` }, baseline);
      rows.push(appFloor, baseFloor);
      ratios.push({ scenario: 'liveness, no I/O (the floor)', app: appFloor.rps, baseline: baseFloor.rps });
    }

    if (runs('catalog')) {
      rows.push(await measure('store by link', [200], { url: `${api}/stores/${shop.slug}` }, server));

      const appCatalog = await measure('catalog, 200 products', [200], { url: `${api}/stores/${shop.slug}/catalog` }, server);
      const baseCatalog = await measure('baseline catalog, 200 products', [200], { url: `${baseline.url}/catalog/${shop.slug}` }, baseline);
      rows.push(appCatalog, baseCatalog);
      ratios.push({ scenario: 'catalog (200 products)', app: appCatalog.rps, baseline: baseCatalog.rps });
      const etag = (await fetch(`${api}/stores/${shop.slug}/catalog`)).headers.get('etag')!;
      rows.push(
        await measure(
          'catalog, If-None-Match',
          [304],
          { url: `${api}/stores/${shop.slug}/catalog`, headers: { 'if-none-match': etag } },
          server,
        ),
      );

      // The storefront's store page at the link: HTML from the same cached render, itself cached.
      // Measured between two runs of the JSON catalog (A/B/A), and compared with their mean, so the
      // position of a scenario in the run weighs on neither side.
      const storePage = await measure('store page (HTML), 200 products', [200], { url: `${server.url}/${shop.slug}` }, server);
      const catalogAgain = await measure(
        'catalog again, after the store page',
        [200],
        { url: `${api}/stores/${shop.slug}/catalog` },
        server,
      );
      rows.push(storePage, catalogAgain);
      ratios.push({
        scenario: "store page / the app's JSON catalog (mean of A/B/A)",
        app: storePage.rps,
        baseline: Math.round((appCatalog.rps + catalogAgain.rps) / 2),
      });
      const pageEtag = (await fetch(`${server.url}/${shop.slug}`)).headers.get('etag')!;
      rows.push(
        await measure(
          'store page, If-None-Match',
          [304],
          { url: `${server.url}/${shop.slug}`, headers: { 'if-none-match': pageEtag } },
          server,
        ),
      );
    }

    if (runs('seller')) {
      // Authenticated seller reads: the token checked (and, in code that has them, its session and
      // the store access seam), then one small query. "who am I" asks no store; the order summary
      // does, by the owner and (where the code has staff) by a staff member with `orders`.
      const [{ mobile, id: storeId }] = await sql(
        'SELECT a.mobile, s.id FROM accounts a JOIN stores s ON s.seller_id = a.id WHERE s.slug = $1',
        [shop.slug],
      );
      const owner = (await post(`${api}/seller/auth`, { mobile, otp: '1234' })).token as string;
      const summary = `${api}/seller/stores/${storeId}/orders/summary`;
      rows.push(
        await measure('seller read: who am I', [200], { url: `${api}/seller/me`, headers: { authorization: `Bearer ${owner}` } }, server),
        await measure('seller read: order summary, owner', [200], { url: summary, headers: { authorization: `Bearer ${owner}` } }, server),
      );
      const staffMobile = '9812300000';
      const added = await fetch(`${api}/seller/stores/${storeId}/staff`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${owner}` },
        body: JSON.stringify({ mobile: staffMobile, permissions: ['orders'] }),
      });
      if (added.status === 201) {
        const staff = (await post(`${api}/seller/auth`, { mobile: staffMobile, otp: '1234' })).token as string;
        rows.push(
          await measure(
            'seller read: order summary, staff',
            [200],
            { url: summary, headers: { authorization: `Bearer ${staff}` } },
            server,
          ),
        );
      }
    }

    if (runs('cart')) {
      // Cart add: each side gets its own carts and the same fixed number of adds, each of one unit
      // of the next product in turn, so both answer carts of the same sizes (growing to
      // CART_ADDS / CARTS lines) and no line nears 99.
      const cartSet = () => inBatches(CARTS, 50, async () => (await post(`${api}/carts`, { storeLink: shop.slug })).id as string);
      const cartAdd = (target: string, path: (cart: string) => string, carts: string[], amount?: number): autocannon.Options => {
        let n = 0;
        return {
          url: target,
          ...(amount ? { amount } : {}),
          requests: [
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              setupRequest: (req) => {
                const i = n++;
                req.path = path(carts[i % carts.length]!);
                req.body = JSON.stringify({
                  productId: shop.productIds[Math.floor(i / carts.length) % shop.productIds.length],
                  qty: 1,
                  storeLink: shop.slug,
                });
                return req;
              },
            },
          ],
        };
      };
      const [appCarts, baseCarts] = [await cartSet(), await cartSet()];
      {
        // The yardstick must answer what the app answers: the same cart, byte for byte.
        const [a, b] = await Promise.all([0, 1].map(async () => (await post(`${api}/carts`, { storeLink: shop.slug })).id as string));
        const add = { productId: shop.productIds[0], qty: 2, storeLink: shop.slug };
        const fromApp = await post(`${api}/carts/${a}/items`, add);
        const fromBaseline = await post(`${baseline.url}/carts/${b}/items`, add);
        const comparable = (cart: Record<string, unknown>) => JSON.stringify({ ...cart, id: '', updatedAt: '' });
        if (comparable(fromApp) !== comparable(fromBaseline))
          throw new Error(`the baseline's cart differs from the app's:\n${JSON.stringify(fromBaseline)}\n${JSON.stringify(fromApp)}`);
      }
      const appAdd = await measure(
        'cart add',
        [200],
        cartAdd(server.url, (c) => `/api/v1/carts/${c}/items`, appCarts, CART_ADDS),
        server,
      );
      const baseAdd = await measure(
        'baseline cart add (the same answer)',
        [200],
        cartAdd(baseline.url, (c) => `/carts/${c}/items`, baseCarts, CART_ADDS),
        baseline,
      );
      const counterAdd = await measure(
        'baseline counter add (one HINCRBY)',
        [200],
        cartAdd(baseline.url, (c) => `/counters/${c}/items`, baseCarts),
        baseline,
      );
      rows.push(appAdd, baseAdd, counterAdd);
      ratios.push({ scenario: 'cart add', app: appAdd.rps, baseline: baseAdd.rps });
      ratios.push({ scenario: 'cart add against a bare HINCRBY', app: appAdd.rps, baseline: counterAdd.rps });
    }

    let raced: { sold: number; stockLeft: number; oversold: number } | undefined;
    let importsMeanwhile: string | undefined;
    let eventLines: string[] = [];
    /** The abuse scenarios render a 10,000-product catalog again and again: the peak they set is reported apart. */
    let peakBeforeAbuse: number | null = null;
    if (runs('orders') || runs('sale') || runs('events') || runs('abuse')) {
      const customers = await inBatches(50, 25, async (i) => {
        const mobile = `98${String(Date.now() % 1e6).padStart(6, '0')}${String(i).padStart(2, '0')}`;
        return (await post(`${api}/customer/auth`, { mobile, otp: '1234' })).token as string;
      });
      const oneLineCarts = async (n: number, store: { slug: string; productIds: string[] }) =>
        inBatches(n, 50, async (i) => {
          const id = (await post(`${api}/carts`, { storeLink: store.slug })).id as string;
          await post(`${api}/carts/${id}/items`, {
            productId: store.productIds[i % store.productIds.length],
            qty: 1,
            storeLink: store.slug,
          });
          return id;
        });
      const placing = (cartIds: string[]): autocannon.Options => {
        let n = 0;
        return {
          url: server!.url,
          amount: cartIds.length,
          requests: [
            {
              method: 'POST',
              setupRequest: (req) => {
                const i = n++;
                req.path = '/api/v1/orders';
                req.headers = { 'content-type': 'application/json', authorization: `Bearer ${customers[i % customers.length]}` };
                req.body = JSON.stringify({ cartId: cartIds[i % cartIds.length], address: ADDRESS });
                return req;
              },
            },
          ],
        };
      };
      if (runs('orders')) {
        // Order placement: fresh one-line carts, 50 customers, unlimited stock: no contention.
        rows.push(await measure('order placement', [201], placing(await oneLineCarts(ORDERS, shop)), server));

        // 1,000 checkouts racing for 100 units of one product: exactly 100 orders, never below zero.
        const race = await measure(
          `${RACERS} racing checkouts, stock ${RACE_STOCK}`,
          [201, 409],
          placing(await oneLineCarts(RACERS, limited)),
          server,
        );
        rows.push(race);
        const stockLeft = Number((await sql('SELECT stock FROM products WHERE id = $1', [limited.productIds[0]]))[0].stock);
        const sold = Number(
          (await sql('SELECT coalesce(sum(l.qty), 0) AS n FROM order_lines l WHERE l.product_id = $1', [limited.productIds[0]]))[0].n,
        );
        raced = { sold, stockLeft, oversold: sold - RACE_STOCK };
      }

      if (runs('sale')) {
        // A sale: buyers open the catalog while orders of a product with limited stock come in.
        // Each such order changes what the catalog shows (the stock), so every order makes the
        // cached catalog stale: this measures the cache at its worst. No CPU per request: two
        // kinds of request share the process.
        const product = shop.productIds[0]!;
        await setStock(product, 1_000_000);
        const saleCarts = await oneLineCarts(SALE_ORDERS, { slug: shop.slug, productIds: [product] });
        const [browsing, buying] = await Promise.all([
          measure('catalog during a sale (200 products)', [200], { url: `${api}/stores/${shop.slug}/catalog` }),
          measure(`${SALE_ORDERS} orders of a limited product, meanwhile`, [201], placing(saleCarts)),
        ]);
        rows.push(browsing, buying);
        await setStock(product, null);
      }

      if (runs('events')) {
        const hooked = await seedStore(databaseUrl, 'bench-hooks', 20);
        eventLines = await eventsBench({
          server,
          api,
          shop,
          hooked,
          sql,
          post,
          oneLineCarts,
          placing,
          measure: async (scenario, expected, opts, target) => {
            const row = await measure(scenario, expected, opts, target);
            rows.push(row);
            return row;
          },
        });
      }

      if (runs('abuse')) {
        peakBeforeAbuse = server.peakRssMiB();
        // Anonymous catalog load cannot starve the rest: 100 connections ask for catalog variants
        // of a 10,000-product store whose content changes every second (so they keep missing the
        // cache), while a seller reads their stores and customers check out.
        const huge = await seedStore(databaseUrl, 'bench-10000', 10_000);
        const [{ mobile }] = await sql('SELECT a.mobile FROM accounts a JOIN stores s ON s.seller_id = a.id WHERE s.slug = $1', [
          huge.slug,
        ]);
        const owner = (await post(`${api}/seller/auth`, { mobile, otp: '1234' })).token as string;
        const [{ id: hugeId }] = await sql('SELECT id FROM stores WHERE slug = $1', [huge.slug]);
        let changing = true;
        const changes = (async () => {
          for (let price = 1; changing; price++) {
            await fetch(`${api}/seller/stores/${hugeId}/products/${huge.productIds[0]}`, {
              method: 'PATCH',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${owner}` },
              body: JSON.stringify({ salePrice: 1 + (price % 50) }),
            });
            await new Promise((r) => setTimeout(r, CHANGE_EVERY_MS));
          }
        })();
        let variant = 0;
        const checkoutCarts = await oneLineCarts(500, shop);
        const [flood, sellerReads, checkouts] = await Promise.all([
          measure('uncached catalog variants, 10,000 products, 100 connections', [200], {
            url: server.url,
            connections: 100,
            requests: [
              {
                method: 'GET',
                setupRequest: (req) => ({ ...req, path: `/api/v1/stores/${huge.slug}/catalog?perCategory=${(variant++ % 100) + 1}` }),
              },
            ],
          }),
          measure('seller reads meanwhile', [200], {
            url: `${api}/seller/stores`,
            connections: 5,
            headers: { authorization: `Bearer ${owner}` },
          }),
          measure('checkouts meanwhile', [201], { ...placing(checkoutCarts), connections: 5 }),
        ]);
        changing = false;
        await changes;
        rows.push(flood, sellerReads, checkouts);
      }
    }

    if (runs('imports')) {
      const owner = (await post(`${api}/seller/auth`, { mobile: '9811100000', otp: '1234' })).token as string;
      // Imports do not stall the process: /healthz while four 5 MB CSV files are imported into
      // four stores at once.
      const importStores = await inBatches(
        4,
        4,
        async (i) =>
          (await post(`${api}/seller/stores`, { name: `Import ${i}`, address: '1 Road' }, { authorization: `Bearer ${owner}` }))
            .id as string,
      );
      const filler = 'x'.repeat(960);
      const csv = [
        'name,description,mrp,salePrice,category',
        ...Array.from({ length: 5000 }, (_, i) => `Item ${i},${filler},20,18,Bulk ${i % 10}`),
      ].join('\n');
      const health = autocannon({ url: `${server.url}/healthz`, connections: 10, duration: 300 });
      const started = performance.now();
      const statuses = await Promise.all(
        importStores.map(async (storeId) => {
          const form = new FormData();
          form.append('file', new Blob([csv], { type: 'text/csv' }), 'products.csv');
          const res = await fetch(`${api}/seller/stores/${storeId}/products/import`, {
            method: 'POST',
            headers: { authorization: `Bearer ${owner}` },
            body: form,
          });
          return res.status;
        }),
      );
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      (health as unknown as { stop(): void }).stop();
      const healthz = await health;
      importsMeanwhile =
        `/healthz during 4 parallel imports of ${(csv.length / 1024 / 1024).toFixed(1)} MiB: p50 ${healthz.latency.p50} ms, ` +
        `p99 ${healthz.latency.p99} ms, max ${healthz.latency.max} ms, ${healthz.errors + healthz.timeouts} errors; imports answered ${statuses.join(', ')} in ${seconds} s`;
      if (statuses.some((s) => s !== 200)) process.exitCode = 1;
    }

    // How the catalog's cost grows with the store.
    const growth: Array<{ products: number; rps: number; p50: number; kib: number; baseline: number }> = [];
    for (const store of runs('growth') ? [small, shop, large] : []) {
      const size = (await (await fetch(`${api}/stores/${store.slug}/catalog`)).arrayBuffer()).byteLength;
      const app = await measure(
        `catalog, ${store.productIds.length} products`,
        [200],
        { url: `${api}/stores/${store.slug}/catalog` },
        server,
      );
      const ref = await measure(
        `baseline catalog, ${store.productIds.length} products`,
        [200],
        { url: `${baseline.url}/catalog/${store.slug}` },
        baseline,
      );
      growth.push({ products: store.productIds.length, rps: app.rps, p50: app.p50, kib: Math.round(size / 1024), baseline: ref.rps });
      if (app.unexpected || ref.unexpected) rows.push(app, ref);
    }

    const rss = server.peakRssMiB();
    console.log('| scenario | requests/s | p50 ms | p99 ms | CPU ms per request | unexpected status | requests | app RSS after, MiB |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows)
      console.log(
        `| ${r.scenario} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.cpuMs ?? ''} | ${r.unexpected} | ${r.total} | ${r.scenario.startsWith('baseline') ? '' : (r.rss ?? '')} |`,
      );
    console.log('\n| app / baseline | app req/s | baseline req/s | ratio |');
    console.log('|---|---:|---:|---:|');
    for (const r of ratios) console.log(`| ${r.scenario} | ${r.app} | ${r.baseline} | ${(r.app / r.baseline).toFixed(2)} |`);
    console.log('\n| catalog size | answer KiB | app req/s | app p50 ms | baseline req/s | ratio |');
    console.log('|---:|---:|---:|---:|---:|---:|');
    for (const g of growth)
      console.log(`| ${g.products} products | ${g.kib} | ${g.rps} | ${g.p50} | ${g.baseline} | ${(g.rps / g.baseline).toFixed(2)} |`);
    if (raced)
      console.log(
        `\nracing checkouts: ${raced.sold} units sold of ${RACE_STOCK}, stock left ${raced.stockLeft}, oversold ${Math.max(0, raced.oversold)}`,
      );
    if (importsMeanwhile) console.log(importsMeanwhile);
    for (const line of eventLines) console.log(line);
    console.log(
      peakBeforeAbuse === null
        ? `server peak RSS: ${rss ?? 'n/a'} MiB`
        : `server peak RSS: ${peakBeforeAbuse} MiB before the abuse scenarios, ${rss ?? 'n/a'} MiB after them`,
    );
    if (rows.some((r) => r.unexpected > 0) || (raced && (raced.oversold > 0 || raced.stockLeft < 0))) process.exitCode = 1;
  } finally {
    await Promise.all([server?.stop(), baseline?.stop()]);
    await dropDatabase(databaseUrl);
    await deleteRedisPrefix(redisUrl, prefix);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
