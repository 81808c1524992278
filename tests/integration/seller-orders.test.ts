import request from 'supertest';
import { ORDER_STATUSES, type OrderStatus } from '../../src/domain/order-status';
import { buildTestApp, type TestApp } from '../helpers/app';
import {
  auth,
  filledCart,
  newCustomer,
  newProduct,
  newSeller,
  newStore,
  placeOrder,
  type Customer,
  type Seller,
  type StoreRef,
} from '../helpers/factories';

const LEGAL: Record<OrderStatus, OrderStatus[]> = {
  PENDING: ['ACCEPTED', 'REJECTED', 'CANCELLED'],
  ACCEPTED: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  REJECTED: [],
  CANCELLED: [],
  DELIVERED: [],
};
/** How to bring a fresh order to each status. */
const PATH_TO: Record<OrderStatus, OrderStatus[]> = {
  PENDING: [],
  ACCEPTED: ['ACCEPTED'],
  REJECTED: ['REJECTED'],
  CANCELLED: ['CANCELLED'],
  SHIPPED: ['ACCEPTED', 'SHIPPED'],
  DELIVERED: ['ACCEPTED', 'SHIPPED', 'DELIVERED'],
};

describe('seller orders', () => {
  let t: TestApp;
  let seller: Seller;
  let store: StoreRef;
  let customer: Customer;
  let product: { id: string };

  beforeAll(async () => {
    t = await buildTestApp();
    seller = await newSeller(t.app);
    store = await newStore(t.app, seller);
    customer = await newCustomer(t.app);
    product = await newProduct(t.app, seller, store, { stock: 1000, mrp: 10, salePrice: 9.99 });
  });
  afterAll(() => t.close());

  const base = (s: StoreRef = store) => `/api/v1/seller/stores/${s.id}/orders`;
  const newOrder = async (qty = 1, p = product, c = customer) =>
    (await placeOrder(t.app, c, await filledCart(t.app, store, [[p.id, qty]])).expect(201)).body;
  const setStatus = (orderId: string, status: unknown, who: Seller = seller) =>
    request(t.app)
      .patch(`${base()}/${orderId}`)
      .set(...auth(who.token))
      .send({ status });
  const stockOf = async (id: string) =>
    (
      await request(t.app)
        .get(`/api/v1/seller/stores/${store.id}/products/${id}`)
        .set(...auth(seller.token))
        .expect(200)
    ).body.stock;

  describe('every move of the status machine', () => {
    const cases = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to, LEGAL[from].includes(to)] as const));
    test.each(cases)('%s → %s: legal=%s', async (from, to, legal) => {
      const order = await newOrder();
      for (const step of PATH_TO[from]) await setStatus(order.id, step).expect(200);
      const res = await setStatus(order.id, to);
      expect(res.status).toBe(legal ? 200 : 409);
      const now = await request(t.app)
        .get(`${base()}/${order.id}`)
        .set(...auth(seller.token))
        .expect(200);
      expect(now.body.status).toBe(legal ? to : from);
      if (legal) expect(res.body).toMatchObject({ id: order.id, status: to });
      else expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  test.each(['SENT', 'pending', '', 42, null])('an unknown status %p is 400', async (status) => {
    const order = await newOrder();
    const res = await setStatus(order.id, status);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('status');
  });

  test.each(['REJECTED', 'CANCELLED'] as const)('%s puts the stock back in the same transaction', async (to) => {
    const p = await newProduct(t.app, seller, store, { stock: 10 });
    const order = await newOrder(4, p);
    expect(await stockOf(p.id)).toBe(6);
    await setStatus(order.id, to).expect(200);
    expect(await stockOf(p.id)).toBe(10);
  });

  test('cancelling an ACCEPTED order puts stock back; shipping and delivering do not touch it', async () => {
    const p = await newProduct(t.app, seller, store, { stock: 5 });
    const a = await newOrder(2, p);
    await setStatus(a.id, 'ACCEPTED').expect(200);
    await setStatus(a.id, 'CANCELLED').expect(200);
    expect(await stockOf(p.id)).toBe(5);
    const b = await newOrder(3, p);
    for (const s of ['ACCEPTED', 'SHIPPED', 'DELIVERED']) await setStatus(b.id, s).expect(200);
    expect(await stockOf(p.id)).toBe(2);
  });

  test('when two status changes race on one order, then exactly one wins', async () => {
    const p = await newProduct(t.app, seller, store, { stock: 100 });
    for (let round = 0; round < 5; round++) {
      const order = await newOrder(2, p);
      const [a, b] = await Promise.all([setStatus(order.id, 'ACCEPTED'), setStatus(order.id, 'REJECTED')]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const final = (
        await request(t.app)
          .get(`${base()}/${order.id}`)
          .set(...auth(seller.token))
      ).body.status;
      expect(final).toBe(a.status === 200 ? 'ACCEPTED' : 'REJECTED');
    }
    // Racing rejects and cancels never put the stock back twice.
    const order = await newOrder(4, p);
    const before = await stockOf(p.id);
    const results = await Promise.all([setStatus(order.id, 'REJECTED'), setStatus(order.id, 'CANCELLED'), setStatus(order.id, 'REJECTED')]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(await stockOf(p.id)).toBe(before + 4);
  });

  test('a customer cancelling and the seller accepting at once: one wins', async () => {
    const order = await newOrder();
    const [c, s] = await Promise.all([
      request(t.app)
        .post(`/api/v1/orders/${order.id}/cancel`)
        .set(...auth(customer.token)),
      setStatus(order.id, 'ACCEPTED'),
    ]);
    expect([c.status, s.status].sort()).toEqual([200, 409]);
  });

  test('the customer cannot cancel once the seller accepted', async () => {
    const order = await newOrder();
    await setStatus(order.id, 'ACCEPTED').expect(200);
    expect(
      (
        await request(t.app)
          .post(`/api/v1/orders/${order.id}/cancel`)
          .set(...auth(customer.token))
      ).status,
    ).toBe(409);
  });

  test('list: newest first, filtered by status, paginated; unknown status is 400', async () => {
    const s = await newStore(t.app, seller);
    const p = await newProduct(t.app, seller, s);
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await placeOrder(t.app, customer, await filledCart(t.app, s, [[p.id, 1]])).expect(201)).body);
    await request(t.app)
      .patch(`${base(s)}/${made[1].id}`)
      .set(...auth(seller.token))
      .send({ status: 'ACCEPTED' })
      .expect(200);
    const all = await request(t.app)
      .get(base(s))
      .set(...auth(seller.token))
      .expect(200);
    expect(all.body).toMatchObject({ page: 1, limit: 20, total: 3 });
    expect(all.body.items.map((o: { id: string }) => o.id)).toEqual([made[2].id, made[1].id, made[0].id]);
    const pending = await request(t.app)
      .get(`${base(s)}?status=PENDING`)
      .set(...auth(seller.token))
      .expect(200);
    expect(pending.body.items.map((o: { id: string }) => o.id)).toEqual([made[2].id, made[0].id]);
    const page2 = await request(t.app)
      .get(`${base(s)}?limit=2&page=2`)
      .set(...auth(seller.token))
      .expect(200);
    expect(page2.body.items.map((o: { id: string }) => o.id)).toEqual([made[0].id]);
    expect(
      (
        await request(t.app)
          .get(`${base(s)}?status=LOST`)
          .set(...auth(seller.token))
      ).status,
    ).toBe(400);
  });

  test('summary counts all six statuses, 0 included', async () => {
    const s = await newStore(t.app, seller);
    const p = await newProduct(t.app, seller, s);
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await placeOrder(t.app, customer, await filledCart(t.app, s, [[p.id, 1]])).expect(201)).body.id);
    const move = (id: string, status: string) =>
      request(t.app)
        .patch(`${base(s)}/${id}`)
        .set(...auth(seller.token))
        .send({ status })
        .expect(200);
    await move(ids[0], 'ACCEPTED');
    await move(ids[1], 'ACCEPTED');
    await move(ids[1], 'SHIPPED');
    await move(ids[2], 'REJECTED');
    const res = await request(t.app)
      .get(`${base(s)}/summary`)
      .set(...auth(seller.token))
      .expect(200);
    expect(res.body).toEqual({ PENDING: 1, ACCEPTED: 1, REJECTED: 1, CANCELLED: 0, SHIPPED: 1, DELIVERED: 0 });
    const empty = await newStore(t.app, seller);
    expect(
      (
        await request(t.app)
          .get(`${base(empty)}/summary`)
          .set(...auth(seller.token))
          .expect(200)
      ).body,
    ).toEqual({
      PENDING: 0,
      ACCEPTED: 0,
      REJECTED: 0,
      CANCELLED: 0,
      SHIPPED: 0,
      DELIVERED: 0,
    });
  });

  test("another seller's store and orders are 404, and the order is untouched", async () => {
    const order = await newOrder();
    const other = await newSeller(t.app);
    const otherStore = await newStore(t.app, other);
    for (const res of [
      await request(t.app)
        .get(base())
        .set(...auth(other.token)),
      await request(t.app)
        .get(`${base()}/summary`)
        .set(...auth(other.token)),
      await request(t.app)
        .get(`${base()}/${order.id}`)
        .set(...auth(other.token)),
      await setStatus(order.id, 'ACCEPTED', other),
      await request(t.app)
        .get(`/api/v1/seller/stores/${store.id}/customers`)
        .set(...auth(other.token)),
      // Their own store, but our order: also not found.
      await request(t.app)
        .get(`${base(otherStore)}/${order.id}`)
        .set(...auth(other.token)),
      await request(t.app)
        .patch(`${base(otherStore)}/${order.id}`)
        .set(...auth(other.token))
        .send({ status: 'ACCEPTED' }),
    ]) {
      expect(res.status).toBe(404);
    }
    expect(
      (
        await request(t.app)
          .get(`${base()}/${order.id}`)
          .set(...auth(seller.token))
      ).body.status,
    ).toBe('PENDING');
    expect(
      (
        await request(t.app)
          .get(`${base()}/not-an-id`)
          .set(...auth(seller.token))
      ).status,
    ).toBe(404);
  });

  test('customers: everyone who ordered, once each, with order count and last order time', async () => {
    const s = await newStore(t.app, seller);
    const p = await newProduct(t.app, seller, s);
    const asha = await newCustomer(t.app);
    const ravi = await newCustomer(t.app);
    await request(t.app)
      .patch('/api/v1/customer/me')
      .set(...auth(asha.token))
      .send({ name: 'Asha' })
      .expect(200);
    await placeOrder(t.app, asha, await filledCart(t.app, s, [[p.id, 1]])).expect(201);
    await placeOrder(t.app, ravi, await filledCart(t.app, s, [[p.id, 1]])).expect(201);
    const last = (await placeOrder(t.app, asha, await filledCart(t.app, s, [[p.id, 1]])).expect(201)).body;
    const res = await request(t.app)
      .get(`/api/v1/seller/stores/${s.id}/customers`)
      .set(...auth(seller.token))
      .expect(200);
    expect(res.body).toMatchObject({ page: 1, limit: 20, total: 2 });
    expect(res.body.items).toEqual([
      { id: asha.id, mobile: asha.mobile, name: 'Asha', orderCount: 2, lastOrderAt: last.createdAt },
      { id: ravi.id, mobile: ravi.mobile, name: null, orderCount: 1, lastOrderAt: expect.any(String) },
    ]);
    const page2 = await request(t.app)
      .get(`/api/v1/seller/stores/${s.id}/customers?limit=1&page=2`)
      .set(...auth(seller.token))
      .expect(200);
    expect(page2.body.items.map((c: { id: string }) => c.id)).toEqual([ravi.id]);
  });
});
