import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import {
  ADDRESS,
  addToCart,
  auth,
  filledCart,
  newCart,
  newCustomer,
  newProduct,
  newSeller,
  newStore,
  placeOrder,
  type Customer,
  type Seller,
  type StoreRef,
} from '../helpers/factories';

describe('orders', () => {
  let t: TestApp;
  let seller: Seller;
  let store: StoreRef;
  let customer: Customer;

  beforeAll(async () => {
    t = await buildTestApp();
    seller = await newSeller(t.app);
    store = await newStore(t.app, seller);
    customer = await newCustomer(t.app);
  });
  afterAll(() => t.close());

  const product = (body: Record<string, unknown> = {}) => newProduct(t.app, seller, store, body);
  const stockOf = async (id: string) =>
    (
      await request(t.app)
        .get(`/api/v1/seller/stores/${store.id}/products/${id}`)
        .set(...auth(seller.token))
        .expect(200)
    ).body.stock;
  const ordersOf = async (c: Customer) =>
    (
      await request(t.app)
        .get('/api/v1/orders')
        .set(...auth(c.token))
        .expect(200)
    ).body;

  test('placing an order: 201 with price-snapshot lines and exact totals, stock taken, cart gone', async () => {
    const rice = await product({ name: 'Rice', mrp: 25, salePrice: 19.99, stock: 10 });
    const tea = await product({ name: 'Tea', mrp: 120, salePrice: 99.5 });
    const cartId = await filledCart(t.app, store, [
      [rice.id, 3],
      [tea.id, 1],
    ]);
    const res = await placeOrder(t.app, customer, cartId);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      storeId: store.id,
      customerId: customer.id,
      status: 'PENDING',
      items: [
        { productId: rice.id, name: 'Rice', image: null, mrp: 25, salePrice: 19.99, qty: 3, lineTotal: 59.97 },
        { productId: tea.id, name: 'Tea', image: null, mrp: 120, salePrice: 99.5, qty: 1, lineTotal: 99.5 },
      ],
      itemCount: 4,
      mrpTotal: 195,
      subtotal: 159.47,
      savings: 35.53,
      address: ADDRESS,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      history: [{ status: 'PENDING', at: res.body.createdAt }],
    });
    expect(await stockOf(rice.id)).toBe(7);
    expect(await stockOf(tea.id)).toBeNull();
    expect((await request(t.app).get(`/api/v1/carts/${cartId}`)).status).toBe(404);
  });

  test('the order keeps its snapshot when the product changes later', async () => {
    const p = await product({ name: 'Ghee', mrp: 600, salePrice: 550 });
    const order = (await placeOrder(t.app, customer, await filledCart(t.app, store, [[p.id, 1]])).expect(201)).body;
    await request(t.app)
      .patch(`/api/v1/seller/stores/${store.id}/products/${p.id}`)
      .set(...auth(seller.token))
      .send({ name: 'Ghee 2', salePrice: 500 })
      .expect(200);
    await request(t.app)
      .delete(`/api/v1/seller/stores/${store.id}/products/${p.id}`)
      .set(...auth(seller.token))
      .expect(204);
    const again = await request(t.app)
      .get(`/api/v1/orders/${order.id}`)
      .set(...auth(customer.token))
      .expect(200);
    expect(again.body.items[0]).toMatchObject({ name: 'Ghee', salePrice: 550 });
  });

  describe('address', () => {
    test("without an address in the body the customer's saved one is used", async () => {
      const c = await newCustomer(t.app);
      const saved = { line1: '7 Park Street', city: 'Kolkata', pincode: '700016' };
      await request(t.app)
        .patch('/api/v1/customer/me')
        .set(...auth(c.token))
        .send({ address: saved })
        .expect(200);
      const p = await product();
      const res = await request(t.app)
        .post('/api/v1/orders')
        .set(...auth(c.token))
        .send({ cartId: await filledCart(t.app, store, [[p.id, 1]]) });
      expect(res.status).toBe(201);
      expect(res.body.address).toEqual(saved);
    });

    test('with neither, 400 naming address, and the cart and stock stay as they were', async () => {
      const c = await newCustomer(t.app);
      const p = await product({ stock: 3 });
      const cartId = await filledCart(t.app, store, [[p.id, 2]]);
      const res = await request(t.app)
        .post('/api/v1/orders')
        .set(...auth(c.token))
        .send({ cartId });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe('address');
      expect(await stockOf(p.id)).toBe(3);
      expect((await request(t.app).get(`/api/v1/carts/${cartId}`).expect(200)).body.itemCount).toBe(2);
      expect((await ordersOf(c)).total).toBe(0);
    });

    test.each([
      [{ ...ADDRESS, pincode: '1234567' }, 'address.pincode'],
      [{ city: 'X', pincode: '560001' }, 'address.line1'],
    ])('an invalid address %p is 400 naming %s', async (address, path) => {
      const p = await product();
      const res = await placeOrder(t.app, customer, await filledCart(t.app, store, [[p.id, 1]]), { address });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    });
  });

  test('an empty cart is 409; unknown and malformed carts are 404; a missing cartId is 400', async () => {
    expect((await placeOrder(t.app, customer, await newCart(t.app, store))).status).toBe(409);
    expect((await placeOrder(t.app, customer, '5b0f3c1e-8a9d-4c2b-9e7f-1a2b3c4d5e6f')).status).toBe(404);
    expect((await placeOrder(t.app, customer, 'not-a-cart')).status).toBe(404);
    expect(
      (
        await request(t.app)
          .post('/api/v1/orders')
          .set(...auth(customer.token))
          .send({ address: ADDRESS })
      ).status,
    ).toBe(400);
  });

  test('placing an order needs a customer token', async () => {
    expect((await request(t.app).post('/api/v1/orders').send({ cartId: 'x' })).status).toBe(401);
    expect(
      (
        await request(t.app)
          .post('/api/v1/orders')
          .set(...auth(seller.token))
          .send({ cartId: 'x' })
      ).status,
    ).toBe(403);
  });

  test('when a price changed since the line was added, then 409, nothing is ordered, the cart shows current prices, and ordering again works', async () => {
    const p = await product({ name: 'Oil', mrp: 200, salePrice: 180, stock: 10 });
    const q = await product({ name: 'Salt', mrp: 20, salePrice: 18 });
    const c = await newCustomer(t.app);
    const cartId = await filledCart(t.app, store, [
      [p.id, 2],
      [q.id, 1],
    ]);
    await request(t.app)
      .patch(`/api/v1/seller/stores/${store.id}/products/${p.id}`)
      .set(...auth(seller.token))
      .send({ salePrice: 190, mrp: 210 })
      .expect(200);

    const refused = await placeOrder(t.app, c, cartId);
    expect(refused.status).toBe(409);
    expect(refused.body.type).toMatch(/prices-changed/);
    expect(await stockOf(p.id)).toBe(10);
    expect((await ordersOf(c)).total).toBe(0);
    const cart = await request(t.app).get(`/api/v1/carts/${cartId}`).expect(200);
    expect(cart.body.items).toEqual([
      { productId: p.id, name: 'Oil', image: null, mrp: 210, salePrice: 190, qty: 2, lineTotal: 380 },
      { productId: q.id, name: 'Salt', image: null, mrp: 20, salePrice: 18, qty: 1, lineTotal: 18 },
    ]);

    const placed = await placeOrder(t.app, c, cartId);
    expect(placed.status).toBe(201);
    expect(placed.body.subtotal).toBe(398);
    expect(await stockOf(p.id)).toBe(8);
  });

  test('a hidden product in the cart is 409 and nothing is ordered; an archived one has left the cart', async () => {
    const hidden = await product({ stock: 5 });
    const archived = await product();
    const keep = await product({ stock: 5 });
    const cartId = await filledCart(t.app, store, [
      [hidden.id, 1],
      [archived.id, 1],
      [keep.id, 1],
    ]);
    await request(t.app)
      .patch(`/api/v1/seller/stores/${store.id}/products/${hidden.id}`)
      .set(...auth(seller.token))
      .send({ active: false })
      .expect(200);
    await request(t.app)
      .delete(`/api/v1/seller/stores/${store.id}/products/${archived.id}`)
      .set(...auth(seller.token))
      .expect(204);
    expect((await placeOrder(t.app, customer, cartId)).status).toBe(409);
    expect(await stockOf(keep.id)).toBe(5);
    await request(t.app).delete(`/api/v1/carts/${cartId}/items/${hidden.id}`).expect(200);
    const placed = await placeOrder(t.app, customer, cartId).expect(201);
    expect(placed.body.items.map((i: { productId: string }) => i.productId)).toEqual([keep.id]);
  });

  test('more than the stock is 409; stock and cart are left as they were', async () => {
    const p = await product({ stock: 3 });
    const cartId = await filledCart(t.app, store, [[p.id, 3]]);
    // Someone else buys one first.
    await placeOrder(t.app, await newCustomer(t.app), await filledCart(t.app, store, [[p.id, 1]])).expect(201);
    const res = await placeOrder(t.app, customer, cartId);
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/out-of-stock/);
    expect(await stockOf(p.id)).toBe(2);
    expect((await request(t.app).get(`/api/v1/carts/${cartId}`).expect(200)).body.itemCount).toBe(3);
  });

  test('when 40 customers race for the last 5 units, then exactly five orders are placed and stock ends at 0', async () => {
    const p = await product({ name: 'Limited Edition', stock: 5 });
    const buyers = await Promise.all(Array.from({ length: 40 }, () => newCustomer(t.app)));
    const carts = await Promise.all(buyers.map(() => filledCart(t.app, store, [[p.id, 1]])));
    const results = await Promise.all(buyers.map((b, i) => placeOrder(t.app, b, carts[i]!)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(35);
    expect(await stockOf(p.id)).toBe(0);
    // The losers keep their carts.
    const losers = results.map((r, i) => (r.status === 409 ? carts[i]! : null)).filter(Boolean) as string[];
    expect((await request(t.app).get(`/api/v1/carts/${losers[0]}`)).status).toBe(200);
  });

  describe('idempotency', () => {
    test('the same Idempotency-Key returns the first order with 201 and the same id', async () => {
      const p = await product({ stock: 10 });
      const cartId = await filledCart(t.app, store, [[p.id, 2]]);
      const first = await placeOrder(t.app, customer, cartId, { key: 'order-abc-1' }).expect(201);
      const replay = await placeOrder(t.app, customer, cartId, { key: 'order-abc-1' });
      expect(replay.status).toBe(201);
      expect(replay.body).toEqual(first.body);
      expect(await stockOf(p.id)).toBe(8);
    });

    test('when 10 requests with one key race, then exactly one order is made and all answer it', async () => {
      const c = await newCustomer(t.app);
      const p = await product({ stock: 100 });
      const cartId = await filledCart(t.app, store, [[p.id, 3]]);
      const results = await Promise.all(Array.from({ length: 10 }, () => placeOrder(t.app, c, cartId, { key: 'race-key' })));
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect((await ordersOf(c)).total).toBe(1);
      expect(await stockOf(p.id)).toBe(97);
    });

    test('reusing a key with another cart is 409; the same key of another customer is independent', async () => {
      const c = await newCustomer(t.app);
      const p = await product();
      await placeOrder(t.app, c, await filledCart(t.app, store, [[p.id, 1]]), { key: 'shared-key' }).expect(201);
      const other = await filledCart(t.app, store, [[p.id, 1]]);
      const reused = await placeOrder(t.app, c, other, { key: 'shared-key' });
      expect(reused.status).toBe(409);
      expect((await request(t.app).get(`/api/v1/carts/${other}`)).status).toBe(200);
      expect((await placeOrder(t.app, await newCustomer(t.app), other, { key: 'shared-key' })).status).toBe(201);
    });

    test.each([
      ['300 characters', 'k'.repeat(300)],
      ['empty', ''],
      ['with a space', 'with space'],
      ['sent twice (joined by a comma)', 'a, b'],
    ])('an Idempotency-Key %s is 400 with one message, and no order is placed', async (_label, key) => {
      const p = await product();
      const cartId = await filledCart(t.app, store, [[p.id, 1]]);
      const res = await placeOrder(t.app, customer, cartId, { key });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { path: 'idempotency-key', message: 'must be 1 to 255 printable ASCII characters, without spaces, given once' },
      ]);
      expect((await request(t.app).get(`/api/v1/carts/${cartId}`)).status).toBe(200);
    });
  });

  test('the same cart never becomes two orders, even when deleting it after the commit failed', async () => {
    const c = await newCustomer(t.app);
    const p = await product({ stock: 10 });
    const cartId = await filledCart(t.app, store, [[p.id, 1]]);
    const snapshot = await t.container.redis.dumpBuffer(`cart:${cartId}`);
    await placeOrder(t.app, c, cartId).expect(201);
    // As if the DEL after commit had failed: the cart is still in Redis.
    await t.container.redis.restore(`cart:${cartId}`, 0, snapshot!);
    const again = await placeOrder(t.app, c, cartId);
    expect(again.status).toBe(409);
    expect((await ordersOf(c)).total).toBe(1);
    expect(await stockOf(p.id)).toBe(9);
    // Parallel duplicates without a key: one order.
    const twin = await filledCart(t.app, store, [[p.id, 1]]);
    const both = await Promise.all([placeOrder(t.app, c, twin), placeOrder(t.app, c, twin), placeOrder(t.app, c, twin)]);
    expect(both.filter((r) => r.status === 201)).toHaveLength(1);
    expect((await ordersOf(c)).total).toBe(2);
  });

  describe('reading and cancelling', () => {
    test('GET /orders lists own orders newest first; GET /orders/:id; another customer gets 404', async () => {
      const c = await newCustomer(t.app);
      const p = await product();
      const a = (await placeOrder(t.app, c, await filledCart(t.app, store, [[p.id, 1]])).expect(201)).body;
      const b = (await placeOrder(t.app, c, await filledCart(t.app, store, [[p.id, 2]])).expect(201)).body;
      const list = await ordersOf(c);
      expect(list).toMatchObject({ page: 1, limit: 20, total: 2 });
      expect(list.items.map((o: { id: string }) => o.id)).toEqual([b.id, a.id]);
      expect(
        (
          await request(t.app)
            .get(`/api/v1/orders/${a.id}`)
            .set(...auth(c.token))
            .expect(200)
        ).body,
      ).toEqual(a);
      const stranger = await newCustomer(t.app);
      expect(
        (
          await request(t.app)
            .get(`/api/v1/orders/${a.id}`)
            .set(...auth(stranger.token))
        ).status,
      ).toBe(404);
      expect(
        (
          await request(t.app)
            .post(`/api/v1/orders/${a.id}/cancel`)
            .set(...auth(stranger.token))
        ).status,
      ).toBe(404);
      expect(
        (
          await request(t.app)
            .get('/api/v1/orders/not-an-id')
            .set(...auth(c.token))
        ).status,
      ).toBe(404);
      expect((await ordersOf(stranger)).total).toBe(0);
    });

    test('cancelling a PENDING order puts the stock back; a second cancel is 409', async () => {
      const p = await product({ stock: 6 });
      const order = (await placeOrder(t.app, customer, await filledCart(t.app, store, [[p.id, 4]])).expect(201)).body;
      expect(await stockOf(p.id)).toBe(2);
      const cancelled = await request(t.app)
        .post(`/api/v1/orders/${order.id}/cancel`)
        .set(...auth(customer.token))
        .expect(200);
      expect(cancelled.body).toMatchObject({ id: order.id, status: 'CANCELLED' });
      expect(await stockOf(p.id)).toBe(6);
      expect(
        (
          await request(t.app)
            .post(`/api/v1/orders/${order.id}/cancel`)
            .set(...auth(customer.token))
        ).status,
      ).toBe(409);
      expect(await stockOf(p.id)).toBe(6);
    });

    test('when 5 cancels of one order race, then one wins and stock is restored once', async () => {
      const p = await product({ stock: 5 });
      const order = (await placeOrder(t.app, customer, await filledCart(t.app, store, [[p.id, 5]])).expect(201)).body;
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          request(t.app)
            .post(`/api/v1/orders/${order.id}/cancel`)
            .set(...auth(customer.token)),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
      expect(await stockOf(p.id)).toBe(5);
    });
  });

  test('lines of one product added in two steps are one line, checked against stock as a whole', async () => {
    const p = await product({ stock: 4 });
    const cartId = await newCart(t.app, store);
    await addToCart(t.app, cartId, store, p.id, 2).expect(200);
    await addToCart(t.app, cartId, store, p.id, 2).expect(200);
    const order = await placeOrder(t.app, customer, cartId).expect(201);
    expect(order.body.items).toHaveLength(1);
    expect(order.body.items[0].qty).toBe(4);
    expect(await stockOf(p.id)).toBe(0);
  });
});
