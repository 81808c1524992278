// Webhooks (contract: "Webhooks"): registration with the address checks, Standard Webhooks
// signatures checked by the standardwebhooks package, retries that keep the webhook-id, no
// redirects, and receivers that fail or hang never slowing an order. Real receivers on loopback.
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { buildTestApp, type TestApp } from '../helpers/app';
import {
  auth,
  filledCart,
  newCustomer,
  newProduct,
  newSeller,
  newStore,
  placeOrder,
  randomMobile,
  type Seller,
  type StoreRef,
} from '../helpers/factories';
import { appWithBackground, relayed, type BackgroundApp } from '../helpers/sms-app';
import { WebhookReceiver } from '../helpers/webhook-receiver';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function register(t: TestApp, seller: Seller, store: StoreRef, body: object) {
  return request(t.app)
    .post(`/api/v1/seller/stores/${store.id}/webhooks`)
    .set(...auth(seller.token))
    .send(body);
}

async function deliveries(t: TestApp, seller: Seller, store: StoreRef, hookId: string): Promise<Json[]> {
  const res = await request(t.app)
    .get(`/api/v1/seller/stores/${store.id}/webhooks/${hookId}/deliveries`)
    .set(...auth(seller.token))
    .expect(200);
  return res.body.items;
}

/** Waits (bounded) until the webhook's deliveries satisfy `predicate`. */
async function deliveriesUntil(t: TestApp, seller: Seller, store: StoreRef, hookId: string, predicate: (d: Json[]) => boolean) {
  for (let i = 0; i < 300; i++) {
    const found = await deliveries(t, seller, store, hookId);
    if (predicate(found)) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the deliveries never got there');
}

describe('webhooks', () => {
  let t: BackgroundApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    t = await appWithBackground('webhooks', {
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_BACKOFF_MS: '100',
      WEBHOOK_TIMEOUT_MS: '700',
      WEBHOOK_ATTEMPTS: '3',
    });
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  async function shop() {
    const seller = await newSeller(t.app);
    const store = await newStore(t.app, seller, { name: 'Hook Shop' });
    const product = await newProduct(t.app, seller, store, { stock: 50 });
    return { seller, store, product };
  }

  test('registration: the secret once, the list without it, at most 10, delete then 404', async () => {
    const { seller, store } = await shop();
    const created = await register(t, seller, store, { url: receiver.url(), events: ['order.created'] }).expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      url: expect.stringContaining(receiver.base),
      events: ['order.created'],
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]+=*$/),
      createdAt: expect.any(String),
    });
    const list = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}/webhooks`)
      .set(...auth(seller.token))
      .expect(200);
    expect(list.body.items).toEqual([
      { id: created.body.id, url: created.body.url, events: ['order.created'], createdAt: created.body.createdAt },
    ]);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    // Nine more in parallel make ten; the eleventh is refused however they race.
    const more = await Promise.all(
      Array.from({ length: 10 }, () => register(t, seller, store, { url: receiver.url(), events: ['order.created'] })),
    );
    expect(more.map((r) => r.status).sort()).toEqual([...Array(9).fill(201), 409]);
    await request(t.app)
      .delete(`/api/v1/seller/stores/${store.id}/webhooks/${created.body.id}`)
      .set(...auth(seller.token))
      .expect(204);
    await request(t.app)
      .delete(`/api/v1/seller/stores/${store.id}/webhooks/${created.body.id}`)
      .set(...auth(seller.token))
      .expect(404);
    // Another seller's store: its webhooks are not theirs to see.
    const other = await newSeller(t.app);
    await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}/webhooks/${more[0]!.body.id}/deliveries`)
      .set(...auth(other.token))
      .expect(404);
  });

  test('bad registrations are 400: an empty or unknown event list, a URL that is not http(s)', async () => {
    const { seller, store } = await shop();
    for (const body of [
      { url: receiver.url(), events: [] },
      { url: receiver.url(), events: ['catalog.changed'] },
      { url: 'ftp://books.example/hook', events: ['order.created'] },
      { url: 'not a url', events: ['order.created'] },
      { url: 'http://user:pw@books.example/hook', events: ['order.created'] },
    ]) {
      const res = await register(t, seller, store, body);
      expect([res.status, res.headers['content-type']]).toEqual([400, expect.stringContaining('application/problem+json')]);
    }
  });

  test('an order and its status change arrive signed, verified by the standardwebhooks package', async () => {
    const { seller, store, product } = await shop();
    const url = receiver.url();
    const hook = (
      await register(t, seller, store, { url, events: ['order.created', 'order.status_changed', 'product.stock_changed'] }).expect(201)
    ).body;
    const customer = await newCustomer(t.app);
    const order = (await placeOrder(t.app, customer, await filledCart(t.app, store, [[product.id, 2]])).expect(201)).body;
    await request(t.app)
      .patch(`/api/v1/seller/stores/${store.id}/orders/${order.id}`)
      .set(...auth(seller.token))
      .send({ status: 'ACCEPTED' })
      .expect(200);
    await receiver.until(() => receiver.at(url).length >= 3);
    const verifier = new Webhook(hook.secret);
    const bodies = receiver.at(url).map((r) => {
      // Throws unless the signature, the id and the timestamp are right.
      verifier.verify(r.body, r.headers);
      const body = JSON.parse(r.body);
      expect(r.headers['webhook-id']).toBe(body.id);
      expect(r.headers['content-type']).toBe('application/json');
      return body;
    });
    const byType = Object.fromEntries(bodies.map((b) => [b.type, b]));
    expect(byType['order.created']).toEqual({
      id: expect.stringMatching(/^evt_\d+$/),
      type: 'order.created',
      storeId: store.id,
      createdAt: expect.any(String),
      data: expect.objectContaining({ id: order.id, status: 'PENDING', itemCount: 2, customerId: expect.any(String) }),
    });
    expect(byType['product.stock_changed'].data).toEqual({ productId: product.id, stock: 48, sold: 2 });
    expect(byType['order.status_changed'].data).toEqual(
      expect.objectContaining({ orderId: order.id, from: 'PENDING', to: 'ACCEPTED', by: expect.objectContaining({ role: 'owner' }) }),
    );
    // A tampered body fails the same check.
    const first = receiver.at(url)[0]!;
    expect(() => verifier.verify(first.body.replace('"', ' "'), first.headers)).toThrow();
    const found = await deliveriesUntil(t, seller, store, hook.id, (d) => d.length === 3 && d.every((x) => x.status === 'delivered'));
    expect(found[0]).toEqual({
      id: expect.any(String),
      eventId: expect.stringMatching(/^evt_\d+$/),
      type: 'order.status_changed',
      attempt: 1,
      status: 'delivered',
      responseStatus: 200,
      createdAt: expect.any(String),
    });
    expect(found.map((d) => d.createdAt)).toEqual([...found.map((d) => d.createdAt)].sort().reverse());
  });

  test('a webhook hears only the types it chose', async () => {
    const { seller, store, product } = await shop();
    const url = receiver.url();
    await register(t, seller, store, { url, events: ['order.status_changed'] }).expect(201);
    const order = (await placeOrder(t.app, await newCustomer(t.app), await filledCart(t.app, store, [[product.id, 1]])).expect(201)).body;
    await request(t.app)
      .patch(`/api/v1/seller/stores/${store.id}/orders/${order.id}`)
      .set(...auth(seller.token))
      .send({ status: 'REJECTED' })
      .expect(200);
    await receiver.until(() => receiver.at(url).length >= 1);
    await relayed(t);
    expect(receiver.at(url).map((r) => JSON.parse(r.body).type)).toEqual(['order.status_changed']);
  });

  test('a 500, then a timeout, then 200: three attempts, one webhook-id, delivered', async () => {
    const { seller, store, product } = await shop();
    const url = receiver.url([500, 'hang', 204]);
    const hook = (await register(t, seller, store, { url, events: ['order.created'] }).expect(201)).body;
    await placeOrder(t.app, await newCustomer(t.app), await filledCart(t.app, store, [[product.id, 1]])).expect(201);
    await receiver.until(() => receiver.at(url).length >= 3);
    const ids = receiver.at(url).map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(1);
    const [delivery] = await deliveriesUntil(t, seller, store, hook.id, (d) => d[0]?.status === 'delivered');
    expect(delivery).toMatchObject({ attempt: 3, status: 'delivered', responseStatus: 204, eventId: ids[0] });
  });

  test('a redirect is not followed: it counts as not delivered, and after the last attempt the delivery is failed', async () => {
    const { seller, store, product } = await shop();
    const elsewhere = receiver.url();
    const url = receiver.url([{ redirect: elsewhere }]);
    const hook = (await register(t, seller, store, { url, events: ['order.created'] }).expect(201)).body;
    await placeOrder(t.app, await newCustomer(t.app), await filledCart(t.app, store, [[product.id, 1]])).expect(201);
    const [delivery] = await deliveriesUntil(t, seller, store, hook.id, (d) => d[0]?.status === 'failed');
    expect(delivery).toMatchObject({ attempt: 3, status: 'failed', responseStatus: 302 });
    expect(receiver.at(url)).toHaveLength(3);
    expect(receiver.at(elsewhere)).toHaveLength(0);
  });

  test('deliveries are kept at least 7 days, events 24 hours (each store keeps its newest)', async () => {
    const { seller, store, product } = await shop();
    const url = receiver.url();
    const hook = (await register(t, seller, store, { url, events: ['order.created'] }).expect(201)).body;
    for (let i = 0; i < 3; i++)
      await placeOrder(t.app, await newCustomer(t.app), await filledCart(t.app, store, [[product.id, 1]])).expect(201);
    await deliveriesUntil(t, seller, store, hook.id, (d) => d.length === 3 && d.every((x) => x.status === 'delivered'));
    const db = t.container.db;
    // Backdated: one delivery 6 days old, one 9 days; every event of the store 2 days old.
    const [a, b] = await deliveries(t, seller, store, hook.id);
    await db.$executeRaw`UPDATE webhook_deliveries SET created_at = now() - interval '6 days' WHERE id = ${a!.id}::uuid`;
    await db.$executeRaw`UPDATE webhook_deliveries SET created_at = now() - interval '9 days' WHERE id = ${b!.id}::uuid`;
    await db.$executeRaw`UPDATE store_events SET created_at = now() - interval '2 days' WHERE store_id = ${store.id}::uuid`;
    const newest = await db.storeEvent.findFirst({ where: { storeId: store.id }, orderBy: { seq: 'desc' } });
    await t.background.relay.prune();
    const kept = (await deliveries(t, seller, store, hook.id)).map((d) => d.id);
    expect(kept).toHaveLength(2);
    expect(kept).toContain(a!.id);
    expect(kept).not.toContain(b!.id);
    // The store's newest event stays: it holds the store's seq count, so new events go on from it.
    expect((await db.storeEvent.findMany({ where: { storeId: store.id } })).map((e) => e.seq)).toEqual([newest!.seq]);
  });

  test('a receiver that hangs does not slow orders: they are answered while it holds every delivery open', async () => {
    const { seller, store, product } = await shop();
    const url = receiver.url(['hang']);
    await register(t, seller, store, { url, events: ['order.created'] }).expect(201);
    const customer = await newCustomer(t.app);
    await placeOrder(t.app, customer, await filledCart(t.app, store, [[product.id, 1]])).expect(201);
    await receiver.until(() => receiver.at(url).length >= 1);
    expect(receiver.heldCount()).toBeGreaterThan(0);
    // While the receiver holds the request open, ten more orders are placed and answered.
    const more = await Promise.all(
      Array.from({ length: 10 }, async () =>
        placeOrder(t.app, await newCustomer(t.app), await filledCart(t.app, store, [[product.id, 1]])),
      ),
    );
    expect(more.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(receiver.heldCount()).toBeGreaterThan(0);
  });
});

describe('webhook addresses without WEBHOOK_ALLOW_PRIVATE_URLS', () => {
  let t: TestApp;
  let seller: Seller;
  let store: StoreRef;
  beforeAll(async () => {
    t = await buildTestApp();
    seller = await newSeller(t.app);
    store = await newStore(t.app, seller);
  });
  afterAll(() => t.close());

  test.each([
    ['loopback', 'http://127.0.0.1:8080/hook'],
    ['a hostname resolving to 127.0.0.1', 'http://localhost:8080/hook'],
    ['IPv6 loopback', 'http://[::1]:8080/hook'],
    ['private (10/8)', 'https://10.1.2.3/hook'],
    ['private (192.168/16)', 'https://192.168.1.10/hook'],
    ['link-local (cloud metadata)', 'http://169.254.169.254/latest/meta-data'],
    ['carrier-grade NAT', 'https://100.64.0.1/hook'],
    ['unspecified', 'http://0.0.0.0/hook'],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/hook'],
  ])('%s is refused with 400', async (_what, url) => {
    const res = await register(t, seller, store, { url, events: ['order.created'] });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/public addresses only/);
  });

  test('a name that does not resolve is 400', async () => {
    const res = await register(t, seller, store, { url: `https://${randomMobile()}.invalid/hook`, events: ['order.created'] });
    expect(res.status).toBe(400);
  });

  test('a name registered while allowed is refused again when delivering (the check is at connection time too)', async () => {
    const receiver = await new WebhookReceiver().start();
    // Registered through an instance that allows private addresses...
    const permissive = await appWithBackground('hook-dns', { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    await permissive.background.close();
    // ...and delivered by a worker that does not, on the same database.
    const strict = await appWithBackground('hook-strict', {
      DATABASE_URL: permissive.container.config.databaseUrl,
      WEBHOOK_BACKOFF_MS: '100',
      WEBHOOK_ATTEMPTS: '2',
    });
    try {
      const owner = await newSeller(permissive.app);
      const shop = await newStore(permissive.app, owner);
      const product = await newProduct(permissive.app, owner, shop);
      const url = receiver.url().replace('127.0.0.1', 'localhost');
      const hook = (await register(permissive, owner, shop, { url, events: ['order.created'] }).expect(201)).body;
      await placeOrder(strict.app, await newCustomer(strict.app), await filledCart(strict.app, shop, [[product.id, 1]])).expect(201);
      const [delivery] = await deliveriesUntil(strict, owner, shop, hook.id, (d) => d[0]?.status === 'failed');
      expect(delivery).toMatchObject({ attempt: 2, responseStatus: null });
      expect(receiver.received).toHaveLength(0);
    } finally {
      await strict.close();
      await permissive.close();
      await receiver.stop();
    }
  });
});
