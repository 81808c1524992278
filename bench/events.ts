// The event pipeline under load (`BENCH_ONLY=events`): thousands of open streams, order placement
// with streams open, and webhook deliveries to a local receiver. Called by run.ts with its tools.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type autocannon from 'autocannon';
import type { ServerProcess } from '../scripts/lib/server-process';
import { sseReader } from '../scripts/lib/sse';

export interface EventsBenchTools {
  server: ServerProcess;
  api: string;
  shop: { slug: string; productIds: string[] };
  hooked: { slug: string; productIds: string[] };
  sql(text: string, params: unknown[]): Promise<any[]>; // eslint-disable-line @typescript-eslint/no-explicit-any
  post(url: string, body: unknown, headers?: Record<string, string>): Promise<Record<string, unknown>>;
  oneLineCarts(n: number, store: { slug: string; productIds: string[] }): Promise<string[]>;
  placing(cartIds: string[]): autocannon.Options;
  measure(scenario: string, expected: number[], opts: autocannon.Options, target?: ServerProcess): Promise<{ rps: number }>;
}

/** An open SSE stream: calls `onEvent` with each event's type and data. */
function openSse(url: string, headers: Record<string, string>, onEvent: (type: string, data: string) => void): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      res.on(
        'data',
        sseReader((e) => onEvent(e.type, e.data)),
      );
      res.on('error', () => undefined);
      resolve(() => req.destroy());
    });
    req.on('error', reject);
  });
}

/** Opens `n` streams, `width` at a time. */
async function openMany(n: number, open: () => Promise<() => void>, width = 200): Promise<Array<() => void>> {
  const closers: Array<() => void> = [];
  for (let i = 0; i < n; i += width) closers.push(...(await Promise.all(Array.from({ length: Math.min(width, n - i) }, open))));
  return closers;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

export async function eventsBench(t: EventsBenchTools): Promise<string[]> {
  const lines: string[] = [];
  const [{ id: shopId }] = await t.sql('SELECT id FROM stores WHERE slug = $1', [t.shop.slug]);
  const [{ mobile }] = await t.sql('SELECT a.mobile FROM accounts a JOIN stores s ON s.seller_id = a.id WHERE s.slug = $1', [t.shop.slug]);
  const owner = (await t.post(`${t.api}/seller/auth`, { mobile, otp: '1234' })).token as string;

  // 1. 5,000 public streams of one store: how long an order's stock event takes to reach them all.
  const STREAMS = Number(process.env.BENCH_STREAMS ?? 5000);
  const product = t.shop.productIds[1]!;
  await t.sql('UPDATE products SET stock = 1000000 WHERE id = $1', [product]);
  const rssBefore = t.server.rssMiB();
  let peakRss = rssBefore ?? 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, t.server.rssMiB() ?? 0)), 50);
  let sentAt = 0;
  let expecting = -1;
  const latencies: number[] = [];
  const closers = await openMany(STREAMS, () =>
    openSse(`${t.api}/stores/${t.shop.slug}/events`, {}, (type, data) => {
      if (type === 'product.stock_changed' && (JSON.parse(data) as { stock: number }).stock === expecting) {
        latencies.push(performance.now() - sentAt);
      }
    }),
  );
  const ROUNDS = 5;
  for (let round = 0; round < ROUNDS; round++) {
    // More than the public stream's pace apart, so each round's event goes out at once.
    await new Promise((r) => setTimeout(r, 1_200));
    const [cart] = await t.oneLineCarts(1, { slug: t.shop.slug, productIds: [product] });
    const customer = (await t.post(`${t.api}/customer/auth`, { mobile: `97${String(Date.now() % 1e8).padStart(8, '0')}`, otp: '1234' }))
      .token as string;
    expecting = 1_000_000 - round - 1;
    sentAt = performance.now();
    await t.post(
      `${t.api}/orders`,
      { cartId: cart, address: { line1: '1 Bench Road', city: 'Pune', pincode: '411001' } },
      {
        authorization: `Bearer ${customer}`,
      },
    );
    const deadline = performance.now() + 10_000;
    while (latencies.length < STREAMS * (round + 1) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }
  clearInterval(sampler);
  const sorted = [...latencies].sort((a, b) => a - b);
  const missed = STREAMS * ROUNDS - latencies.length;
  lines.push(
    `${STREAMS} open public streams, ${ROUNDS} orders: the stock event reached them in p50 ${Math.round(percentile(sorted, 50))} ms, ` +
      `p99 ${Math.round(percentile(sorted, 99))} ms, max ${Math.round(sorted.at(-1) ?? 0)} ms (${missed} not received); ` +
      `app RSS ${rssBefore ?? 'n/a'} MiB before opening them, peak ${peakRss} MiB while open`,
  );
  for (const close of closers) close();
  if (missed > 0) process.exitCode = 1;
  await new Promise((r) => setTimeout(r, 1_000));

  // 2. Order placement with 1,000 streams open on the same store (950 public, 50 of its seller).
  const open = [
    ...(await openMany(950, () => openSse(`${t.api}/stores/${t.shop.slug}/events`, {}, () => undefined))),
    ...(await openMany(50, () =>
      openSse(`${t.api}/seller/stores/${shopId}/events`, { authorization: `Bearer ${owner}` }, () => undefined),
    )),
  ];
  const withStreams = await t.measure(
    'order placement, 1,000 streams open',
    [201],
    t.placing(await t.oneLineCarts(3000, t.shop)),
    t.server,
  );
  lines.push(`order placement with 1,000 streams of the store open: ${withStreams.rps}/s`);
  for (const close of open) close();

  // 3. Webhook deliveries to a local receiver: 10 webhooks on a store, 1,000 orders.
  let received = 0;
  let first = 0;
  let last = 0;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      last = performance.now();
      if (!first) first = last;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const [{ id: hookedId }] = await t.sql('SELECT id FROM stores WHERE slug = $1', [t.hooked.slug]);
  const [{ mobile: hookedMobile }] = await t.sql('SELECT a.mobile FROM accounts a JOIN stores s ON s.seller_id = a.id WHERE s.id = $1', [
    hookedId,
  ]);
  const hookedOwner = (await t.post(`${t.api}/seller/auth`, { mobile: hookedMobile, otp: '1234' })).token as string;
  for (let i = 0; i < 10; i++) {
    await t.post(
      `${t.api}/seller/stores/${hookedId}/webhooks`,
      { url: hookUrl, events: ['order.created'] },
      { authorization: `Bearer ${hookedOwner}` },
    );
  }
  const ORDERS = 1_000;
  const placed = await t.measure('orders of a store with 10 webhooks', [201], t.placing(await t.oneLineCarts(ORDERS, t.hooked)), t.server);
  const placedAt = performance.now();
  const deadline = placedAt + 120_000;
  while (received < ORDERS * 10 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  receiver.close();
  lines.push(
    `webhooks: ${received} of ${ORDERS * 10} deliveries (10 webhooks, ${ORDERS} orders at ${placed.rps}/s) at ` +
      `${Math.round(received / ((last - first) / 1000))}/s from first to last; the last arrived ${Math.round(last - placedAt)} ms after the last order`,
  );
  if (received < ORDERS * 10) process.exitCode = 1;
  return lines;
}
