import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import {
  addToCart,
  ADDRESS,
  auth,
  filledCart,
  newCart,
  newCustomer,
  newProduct,
  newSeller,
  newStore,
  placeOrder,
  randomMobile,
} from '../helpers/factories';
import { TcpProxy } from '../helpers/tcp-proxy';

/** Retries `check` until it passes (bounded): recovery is asynchronous, never a fixed sleep. */
async function eventually(check: () => Promise<void>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
}

function expect503(res: request.Response): void {
  expect(res.status).toBe(503);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(JSON.stringify(res.body)).not.toMatch(/ECONN|ioredis|prisma|at .*\.[jt]s:\d+/i);
}

describe('when Redis becomes unreachable', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  beforeAll(async () => {
    const redis = new URL(process.env.REDIS_URL!);
    proxy = new TcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    await proxy.start();
    t = await buildTestApp({
      REDIS_URL: proxy.url('redis', redis.pathname),
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}faults-redis:`,
    });
  });
  afterAll(async () => {
    await t.close();
    await proxy.stop();
  });

  test.each(['cut', 'blackhole'] as const)(
    'connection %s: carts and OTPs answer 503 within a second, the rest keeps working, and all recovers without a restart',
    async (fault) => {
      const seller = await newSeller(t.app);
      const store = await newStore(t.app, seller);
      const product = await newProduct(t.app, seller, store, { stock: 5 });
      const customer = await newCustomer(t.app);
      const cartId = await filledCart(t.app, store, [[product.id, 2]]);

      if (fault === 'cut') await proxy.cut();
      else proxy.blackhole();

      for (const call of [
        () => request(t.app).get(`/api/v1/carts/${cartId}`),
        () => addToCart(t.app, cartId, store, product.id, 1),
        () => request(t.app).post('/api/v1/carts').send({ storeLink: store.slug }),
        () => request(t.app).post('/api/v1/seller/auth/otp').send({ mobile: randomMobile() }),
        () => placeOrder(t.app, customer, cartId),
      ]) {
        const { result, ms } = await timed(call);
        expect503(result);
        expect(ms).toBeLessThan(1_000);
      }
      const ready = await request(t.app).get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.redis).toBe('down');

      // PostgreSQL-only endpoints keep working.
      await request(t.app).get(`/api/v1/stores/${store.slug}/catalog`).expect(200);
      await request(t.app)
        .get(`/api/v1/seller/stores/${store.id}/products`)
        .set(...auth(seller.token))
        .expect(200);
      await request(t.app)
        .get('/api/v1/orders')
        .set(...auth(customer.token))
        .expect(200);
      // No order was half-made: nothing ordered, no stock taken.
      expect(
        (
          await request(t.app)
            .get('/api/v1/orders')
            .set(...auth(customer.token))
        ).body.total,
      ).toBe(0);
      expect(
        (
          await request(t.app)
            .get(`/api/v1/seller/stores/${store.id}/products/${product.id}`)
            .set(...auth(seller.token))
        ).body.stock,
      ).toBe(5);

      await proxy.restore();
      await eventually(async () => {
        expect((await request(t.app).get('/readyz')).status).toBe(200);
      });
      const cart = await request(t.app).get(`/api/v1/carts/${cartId}`).expect(200);
      expect(cart.body.itemCount).toBe(2);
      await request(t.app).post('/api/v1/seller/auth/otp').send({ mobile: randomMobile() }).expect(202);
      await placeOrder(t.app, customer, cartId).expect(201);
    },
    30_000,
  );

  test('REDIS_COMMAND_TIMEOUT_MS sets how long a request waits for a silent Redis before its 503', async () => {
    const patient = await buildTestApp({
      REDIS_URL: proxy.url('redis', new URL(process.env.REDIS_URL!).pathname),
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}faults-redis:`,
      REDIS_COMMAND_TIMEOUT_MS: '2500',
    });
    try {
      await eventually(async () => {
        expect((await request(patient.app).get('/readyz')).status).toBe(200);
      });
      const store = await newStore(t.app, await newSeller(t.app));
      const cartId = await newCart(patient.app, store);
      proxy.blackhole();
      // The default (800 ms) would answer within a second, as the tests above check.
      const { result, ms } = await timed(() => request(patient.app).get(`/api/v1/carts/${cartId}`));
      expect503(result);
      expect(ms).toBeGreaterThanOrEqual(2_400);
      expect(ms).toBeLessThan(6_000);
    } finally {
      await proxy.restore();
      await patient.close();
      await eventually(async () => {
        expect((await request(t.app).get('/readyz')).status).toBe(200);
      });
    }
  });

  test('sessions are checked in PostgreSQL while Redis is cut: a live one still works, an ended one stays 401', async () => {
    const seller = await newSeller(t.app);
    const gone = await newSeller(t.app);
    await request(t.app)
      .post('/api/v1/auth/logout')
      .set(...auth(gone.token))
      .expect(204);
    await proxy.cut();
    try {
      await request(t.app)
        .get('/api/v1/seller/me')
        .set(...auth(seller.token))
        .expect(200);
      expect(
        (
          await request(t.app)
            .get('/api/v1/seller/me')
            .set(...auth(gone.token))
        ).status,
      ).toBe(401);
    } finally {
      await proxy.restore();
      await eventually(async () => {
        expect((await request(t.app).get('/readyz')).status).toBe(200);
      });
    }
  });
});

describe('when PostgreSQL becomes unreachable', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  beforeAll(async () => {
    const pg = new URL(process.env.DATABASE_URL!);
    proxy = new TcpProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
    await proxy.start();
    const viaProxy = new URL(process.env.DATABASE_URL!);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    t = await buildTestApp({ DATABASE_URL: viaProxy.toString() });
  });
  afterAll(async () => {
    await t.close();
    await proxy.stop();
  });

  test.each(['cut', 'blackhole'] as const)(
    'connection %s: 503 within a few seconds, carts are kept, and all recovers without a restart',
    async (fault) => {
      const seller = await newSeller(t.app);
      const store = await newStore(t.app, seller);
      const product = await newProduct(t.app, seller, store, { stock: 5 });
      const customer = await newCustomer(t.app);
      await request(t.app)
        .patch('/api/v1/customer/me')
        .set(...auth(customer.token))
        .send({ address: ADDRESS })
        .expect(200);
      const cartId = await newCart(t.app, store);
      await addToCart(t.app, cartId, store, product.id, 2).expect(200);

      if (fault === 'cut') await proxy.cut();
      else proxy.blackhole();

      for (const call of [
        () => request(t.app).get(`/api/v1/stores/${store.slug}/catalog`),
        () =>
          request(t.app)
            .get(`/api/v1/seller/stores/${store.id}/products`)
            .set(...auth(seller.token)),
        () =>
          request(t.app)
            .get('/api/v1/orders')
            .set(...auth(customer.token)),
        () =>
          request(t.app)
            .post('/api/v1/orders')
            .set(...auth(customer.token))
            .send({ cartId }),
        // With the address in the body, the checkout's first query is place_order itself (through
        // node-postgres rather than Prisma's raw-query layer).
        () =>
          request(t.app)
            .post('/api/v1/orders')
            .set(...auth(customer.token))
            .send({ cartId, address: ADDRESS }),
      ]) {
        const { result, ms } = await timed(call);
        expect503(result);
        expect(ms).toBeLessThan(8_000);
      }
      expect((await request(t.app).get('/readyz')).status).toBe(503);
      // The cart lives in Redis and is untouched by the failed checkout.
      expect((await request(t.app).get(`/api/v1/carts/${cartId}`).expect(200)).body.itemCount).toBe(2);

      await proxy.restore();
      await eventually(async () => {
        expect((await request(t.app).get('/readyz')).status).toBe(200);
      });
      await request(t.app).get(`/api/v1/stores/${store.slug}/catalog`).expect(200);
      const order = await request(t.app)
        .post('/api/v1/orders')
        .set(...auth(customer.token))
        .send({ cartId });
      expect(order.status).toBe(201);
      expect(order.body.itemCount).toBe(2);
    },
    60_000,
  );
});
