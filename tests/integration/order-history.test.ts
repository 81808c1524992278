// Orders: who did what (history), and orders taken at the counter (contract: "Orders: history and
// offline orders").
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import {
  ADDRESS,
  addStaff,
  addToCart,
  auth,
  filledCart,
  newCart,
  newCustomer,
  newProduct,
  newSeller,
  newStore,
  placeOrder,
  randomMobile,
  type Seller,
  type StoreRef,
} from '../helpers/factories';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('order history and counter orders', () => {
  let t: TestApp;
  let owner: Seller;
  let store: StoreRef;
  let staff: Seller;
  let staffMobile: string;
  beforeAll(async () => {
    t = await buildTestApp();
    owner = await newSeller(t.app);
    store = await newStore(t.app, owner);
    staffMobile = randomMobile();
    await addStaff(t.app, owner, store, staffMobile, ['orders']);
    staff = await newSeller(t.app, staffMobile);
  });
  afterAll(() => t.close());

  const setStatus = (who: Seller, orderId: string, status: string) =>
    request(t.app)
      .patch(`/api/v1/seller/stores/${store.id}/orders/${orderId}`)
      .set(...auth(who.token))
      .send({ status })
      .expect(200);
  const counter = (who: Seller, body: object, key?: string) => {
    const req = request(t.app)
      .post(`/api/v1/seller/stores/${store.id}/orders`)
      .set(...auth(who.token));
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };

  test('accepted by staff, shipped by the owner: each change recorded with its actor; the customer sees when, not who', async () => {
    const product = await newProduct(t.app, owner, store, { stock: 5 });
    const customer = await newCustomer(t.app);
    const order = (await placeOrder(t.app, customer, await filledCart(t.app, store, [[product.id, 1]])).expect(201)).body;
    expect(order.history).toEqual([{ status: 'PENDING', at: order.createdAt }]);
    await setStatus(staff, order.id, 'ACCEPTED');
    const shipped = (await setStatus(owner, order.id, 'SHIPPED')).body;
    expect(shipped.history).toEqual([
      { status: 'PENDING', at: expect.any(String), by: { role: 'customer', accountId: null, mobile: null } },
      { status: 'ACCEPTED', at: expect.any(String), by: { role: 'staff', accountId: staff.id, mobile: staff.mobile } },
      { status: 'SHIPPED', at: expect.any(String), by: { role: 'owner', accountId: owner.id, mobile: owner.mobile } },
    ]);
    const times = shipped.history.map((h: Json) => Date.parse(h.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const mine = await request(t.app)
      .get(`/api/v1/orders/${order.id}`)
      .set(...auth(customer.token))
      .expect(200);
    expect(mine.body.history.map((h: Json) => Object.keys(h).sort())).toEqual([
      ['at', 'status'],
      ['at', 'status'],
      ['at', 'status'],
    ]);
    expect(JSON.stringify(mine.body)).not.toContain(staff.mobile);
  });

  test('cancelled by the customer: recorded as the customer', async () => {
    const product = await newProduct(t.app, owner, store);
    const customer = await newCustomer(t.app);
    const order = (await placeOrder(t.app, customer, await filledCart(t.app, store, [[product.id, 1]])).expect(201)).body;
    await request(t.app)
      .post(`/api/v1/orders/${order.id}/cancel`)
      .set(...auth(customer.token))
      .expect(200);
    const seen = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}/orders/${order.id}`)
      .set(...auth(staff.token))
      .expect(200);
    expect(seen.body.history.map((h: Json) => [h.status, h.by.role])).toEqual([
      ['PENDING', 'customer'],
      ['CANCELLED', 'customer'],
    ]);
  });

  test('a counter order: ACCEPTED at once, by who took it, at current prices, the customer found or made by mobile, address optional', async () => {
    const rice = await newProduct(t.app, owner, store, { name: 'Rice', mrp: 100, salePrice: 90, stock: 10 });
    const dal = await newProduct(t.app, owner, store, { name: 'Dal', mrp: 50, salePrice: 45 });
    const mobile = randomMobile();
    const res = await counter(staff, {
      customer: { mobile, name: 'Walk-in Asha' },
      items: [
        { productId: rice.id, qty: 2 },
        { productId: dal.id, qty: 1 },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'ACCEPTED', address: null, itemCount: 3, subtotal: 225, mrpTotal: 250 });
    expect(res.body.history).toEqual([
      { status: 'ACCEPTED', at: expect.any(String), by: { role: 'staff', accountId: staff.id, mobile: staff.mobile } },
    ]);
    // The customer was made, with the name given, and can see the order after signing in.
    const customer = await request(t.app).post('/api/v1/customer/auth').send({ mobile, otp: '1234' }).expect(200);
    expect(customer.body.customer).toMatchObject({ name: 'Walk-in Asha' });
    const theirs = await request(t.app)
      .get(`/api/v1/orders/${res.body.id}`)
      .set(...auth(customer.body.token))
      .expect(200);
    expect(theirs.body.status).toBe('ACCEPTED');
    // Stock taken as checkout takes it.
    const after = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}/products/${rice.id}`)
      .set(...auth(owner.token))
      .expect(200);
    expect(after.body.stock).toBe(8);
    // With an address, for delivery.
    const delivered = await counter(owner, { customer: { mobile }, items: [{ productId: dal.id, qty: 1 }], address: ADDRESS }).expect(201);
    expect(delivered.body.address).toMatchObject(ADDRESS);
    expect(delivered.body.history[0].by.role).toBe('owner');
  });

  test('counter orders follow the cart rules: more than the stock, a hidden product, another store, bad input', async () => {
    const few = await newProduct(t.app, owner, store, { stock: 1 });
    const hidden = await newProduct(t.app, owner, store, { active: false });
    const elsewhere = await newProduct(t.app, owner, await newStore(t.app, owner));
    const customer = { mobile: randomMobile() };
    expect((await counter(owner, { customer, items: [{ productId: few.id, qty: 2 }] })).status).toBe(409);
    expect((await counter(owner, { customer, items: [{ productId: hidden.id, qty: 1 }] })).status).toBe(409);
    expect((await counter(owner, { customer, items: [{ productId: elsewhere.id, qty: 1 }] })).status).toBe(409);
    expect((await counter(owner, { customer, items: [{ productId: '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5f', qty: 1 }] })).status).toBe(404);
    for (const body of [
      { customer, items: [] },
      { customer, items: [{ productId: few.id, qty: 0 }] },
      { customer, items: [{ productId: few.id, qty: 100 }] },
      { customer: { mobile: '12345' }, items: [{ productId: few.id, qty: 1 }] },
      { items: [{ productId: few.id, qty: 1 }] },
    ]) {
      expect((await counter(owner, body)).status).toBe(400);
    }
    // Nothing was taken by the refusals.
    const product = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}/products/${few.id}`)
      .set(...auth(owner.token))
      .expect(200);
    expect(product.body.stock).toBe(1);
  });

  test('the same Idempotency-Key answers the first counter order, also when sent at the same moment', async () => {
    const product = await newProduct(t.app, owner, store, { stock: 10 });
    const body = { customer: { mobile: randomMobile() }, items: [{ productId: product.id, qty: 1 }] };
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => counter(owner, body, 'counter-key-1')));
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    const stock = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}/products/${product.id}`)
      .set(...auth(owner.token))
      .expect(200);
    expect(stock.body.stock).toBe(9);
  });

  test('staff without "orders" cannot take counter orders (403)', async () => {
    const mobile = randomMobile();
    await addStaff(t.app, owner, store, mobile, ['products']);
    const pricer = await newSeller(t.app, mobile);
    const product = await newProduct(t.app, owner, store);
    expect((await counter(pricer, { customer: { mobile: randomMobile() }, items: [{ productId: product.id, qty: 1 }] })).status).toBe(403);
  });

  test('40 counter orders and 40 online checkouts racing for 30 units sell exactly 30', async () => {
    const product = await newProduct(t.app, owner, store, { stock: 30 });
    const buyers = await Promise.all(Array.from({ length: 40 }, () => newCustomer(t.app)));
    const carts = await Promise.all(buyers.map(() => newCart(t.app, store)));
    for (const cartId of carts) await addToCart(t.app, cartId, store, product.id, 1).expect(200);
    const answers = await Promise.all([
      ...buyers.map((b, i) => placeOrder(t.app, b, carts[i]!)),
      ...Array.from({ length: 40 }, () =>
        counter(staff, { customer: { mobile: randomMobile() }, items: [{ productId: product.id, qty: 1 }] }),
      ),
    ]);
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(30);
    expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
    const left = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}/products/${product.id}`)
      .set(...auth(owner.token))
      .expect(200);
    expect(left.body.stock).toBe(0);
  }, 60_000);
});
