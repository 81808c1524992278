// Deleting accounts (contract: "Sessions", DELETE /seller/me and /customer/me).
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import {
  ADDRESS,
  addStaff,
  addToCart,
  auth,
  filledCart,
  newCustomer,
  newProduct,
  newSeller,
  newStore,
  placeOrder,
  randomMobile,
  type Customer,
  type Seller,
  type StoreRef,
} from '../helpers/factories';

describe('deleting a seller account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  const setStatus = (seller: Seller, store: StoreRef, orderId: string, status: string) =>
    request(t.app)
      .patch(`/api/v1/seller/stores/${store.id}/orders/${orderId}`)
      .set(...auth(seller.token))
      .send({ status })
      .expect(200);
  const deleteMe = (token: string) =>
    request(t.app)
      .delete('/api/v1/seller/me')
      .set(...auth(token));

  test('an open order blocks it (409); once it is delivered, the account goes and every store closes for good', async () => {
    const seller = await newSeller(t.app);
    const store = await newStore(t.app, seller, { name: 'Closing Down Stores' });
    const product = await newProduct(t.app, seller, store, { stock: 10 });
    const customer = await newCustomer(t.app);
    const order = (await placeOrder(t.app, customer, await filledCart(t.app, store, [[product.id, 1]])).expect(201)).body;
    const waitingCart = await filledCart(t.app, store, [[product.id, 1]]);

    const staffMobile = randomMobile();
    await addStaff(t.app, seller, store, staffMobile, ['orders']);
    const staff = await newSeller(t.app, staffMobile);

    const refused = await deleteMe(seller.token);
    expect(refused.status).toBe(409);
    expect(refused.body.type).toMatch(/open-orders/);
    await request(t.app).get(`/api/v1/stores/${store.slug}`).expect(200);

    for (const status of ['ACCEPTED', 'SHIPPED', 'DELIVERED']) await setStatus(seller, store, order.id, status);
    await deleteMe(seller.token).expect(204);

    // Every session ends.
    expect(
      (
        await request(t.app)
          .get('/api/v1/seller/me')
          .set(...auth(seller.token))
      ).status,
    ).toBe(401);
    // The link and everything public: 410, as JSON and as a page.
    for (const path of [
      `/api/v1/stores/${store.slug}`,
      `/api/v1/stores/${store.slug}/catalog`,
      `/api/v1/stores/${store.slug}/products/${product.id}`,
    ]) {
      const res = await request(t.app).get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 410 });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const page = await request(t.app).get(`/${store.slug}`);
    expect(page.status).toBe(410);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('This store has closed');
    expect((await request(t.app).post('/api/v1/carts').send({ storeLink: store.slug })).status).toBe(410);
    expect((await addToCart(t.app, waitingCart, store, product.id)).status).toBe(410);
    const late = await placeOrder(t.app, customer, waitingCart);
    expect(late.status).toBe(410);

    // Its staff lose it.
    expect(
      (
        await request(t.app)
          .get(`/api/v1/seller/stores/${store.id}`)
          .set(...auth(staff.token))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(t.app)
          .get('/api/v1/seller/stores')
          .set(...auth(staff.token))
      ).body.total,
    ).toBe(0);

    // The customer still sees the past order.
    const past = await request(t.app)
      .get(`/api/v1/orders/${order.id}`)
      .set(...auth(customer.token))
      .expect(200);
    expect(past.body).toMatchObject({ id: order.id, status: 'DELIVERED', itemCount: 1 });

    // The slug is never given again: a new store of the same name gets another.
    const newcomer = await newSeller(t.app);
    const again = await newStore(t.app, newcomer, { name: 'Closing Down Stores' });
    expect(again.slug).not.toBe(store.slug);

    // The mobile signs up again, as a new account with no stores.
    const back = await request(t.app).post('/api/v1/seller/auth').send({ mobile: seller.mobile, otp: '1234' }).expect(201);
    expect(back.body.account.id).not.toBe(seller.id);
    const stores = await request(t.app)
      .get('/api/v1/seller/stores')
      .set(...auth(back.body.token))
      .expect(200);
    expect(stores.body.total).toBe(0);
  });

  test('a checkout racing the deletion: either the order is placed and the deletion is 409, or the store closed first and the order is 410', async () => {
    for (let round = 0; round < 3; round++) {
      const seller = await newSeller(t.app);
      const store = await newStore(t.app, seller);
      const product = await newProduct(t.app, seller, store, { stock: 5 });
      const customer = await newCustomer(t.app);
      const cart = await filledCart(t.app, store, [[product.id, 1]]);
      const [deletion, order] = await Promise.all([deleteMe(seller.token), placeOrder(t.app, customer, cart)]);
      expect([
        [204, 410],
        [409, 201],
      ]).toContainEqual([deletion.status, order.status]);
    }
  });

  test('a failure half-way leaves the account as it was', async () => {
    const seller = await newSeller(t.app);
    const store = await newStore(t.app, seller);
    jest.spyOn(t.container.services.sessions, 'endAllIn').mockRejectedValueOnce(new Error('the database went away'));
    expect((await deleteMe(seller.token)).status).toBe(500);
    await request(t.app)
      .get('/api/v1/seller/me')
      .set(...auth(seller.token))
      .expect(200);
    await request(t.app).get(`/api/v1/stores/${store.slug}`).expect(200);
    await deleteMe(seller.token).expect(204);
  });
});

describe('deleting a customer account', () => {
  let t: TestApp;
  let seller: Seller;
  let store: StoreRef;
  let productId: string;
  beforeAll(async () => {
    t = await buildTestApp();
    seller = await newSeller(t.app);
    store = await newStore(t.app, seller);
    productId = (await newProduct(t.app, seller, store, { stock: 100 })).id;
  });
  afterAll(() => t.close());

  const deleteMe = (c: Customer) =>
    request(t.app)
      .delete('/api/v1/customer/me')
      .set(...auth(c.token));

  test("an open order blocks it; after, the customer's data is gone from every answer while the seller keeps the order", async () => {
    const customer = await newCustomer(t.app);
    await request(t.app)
      .patch('/api/v1/customer/me')
      .set(...auth(customer.token))
      .send({ name: 'Asha', address: ADDRESS })
      .expect(200);
    const order = (await placeOrder(t.app, customer, await filledCart(t.app, store, [[productId, 2]])).expect(201)).body;

    expect((await deleteMe(customer)).status).toBe(409);
    await request(t.app)
      .post(`/api/v1/orders/${order.id}/cancel`)
      .set(...auth(customer.token))
      .expect(200);
    await deleteMe(customer).expect(204);

    expect(
      (
        await request(t.app)
          .get('/api/v1/customer/me')
          .set(...auth(customer.token))
      ).status,
    ).toBe(401);
    const seen = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}/orders/${order.id}`)
      .set(...auth(seller.token))
      .expect(200);
    expect(seen.body).toMatchObject({ id: order.id, customerId: customer.id, status: 'CANCELLED', itemCount: 2, address: null });
    expect(seen.body.items).toHaveLength(1);
    const customers = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}/customers`)
      .set(...auth(seller.token))
      .expect(200);
    expect(customers.body.items).toContainEqual(expect.objectContaining({ id: customer.id, mobile: null, name: null }));
    expect(JSON.stringify(customers.body)).not.toContain(customer.mobile);

    // The mobile signs up again as a new customer with no orders.
    const back = await request(t.app).post('/api/v1/customer/auth').send({ mobile: customer.mobile, otp: '1234' }).expect(201);
    expect(back.body.customer).toMatchObject({ mobile: customer.mobile, name: null, address: null });
    expect(back.body.customer.id).not.toBe(customer.id);
    const orders = await request(t.app)
      .get('/api/v1/orders')
      .set(...auth(back.body.token))
      .expect(200);
    expect(orders.body.total).toBe(0);
  });

  test('every session of the customer ends, not only the one that asked', async () => {
    const customer = await newCustomer(t.app);
    const other = await request(t.app).post('/api/v1/customer/auth').send({ mobile: customer.mobile, otp: '1234' }).expect(200);
    await deleteMe(customer).expect(204);
    expect(
      (
        await request(t.app)
          .get('/api/v1/customer/me')
          .set(...auth(other.body.token))
      ).status,
    ).toBe(401);
    expect((await request(t.app).post('/api/v1/auth/refresh').send({ refreshToken: other.body.refreshToken })).status).toBe(401);
  });

  test('a customer with no orders may go, and a second delete with the same token is 401', async () => {
    const customer = await newCustomer(t.app);
    await deleteMe(customer).expect(204);
    expect((await deleteMe(customer)).status).toBe(401);
  });
});
