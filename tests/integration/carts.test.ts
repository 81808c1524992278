import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { addToCart, auth, newCart, newProduct, newSeller, newStore, type Seller, type StoreRef } from '../helpers/factories';

describe('carts', () => {
  let t: TestApp;
  let seller: Seller;
  let store: StoreRef;
  let rice: { id: string };
  let dal: { id: string };
  beforeAll(async () => {
    t = await buildTestApp();
    seller = await newSeller(t.app);
    store = await newStore(t.app, seller);
    rice = await newProduct(t.app, seller, store, { name: 'Rice', mrp: 25, salePrice: 19.99 });
    dal = await newProduct(t.app, seller, store, { name: 'Dal', mrp: 100, salePrice: 80, stock: 5 });
  });
  afterAll(() => t.close());

  test('a new cart is empty, belongs to the store, and has an unguessable UUIDv4 id', async () => {
    const res = await request(t.app).post('/api/v1/carts').send({ storeLink: store.link }).expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      storeId: store.id,
      storeLink: store.link,
      items: [],
      itemCount: 0,
      mrpTotal: 0,
      subtotal: 0,
      savings: 0,
      updatedAt: expect.any(String),
    });
    expect((await request(t.app).get(`/api/v1/carts/${res.body.id}`).expect(200)).body).toEqual(res.body);
  });

  test('storeLink may be the slug or the full link; an unknown store is 404', async () => {
    expect((await request(t.app).post('/api/v1/carts').send({ storeLink: store.slug })).status).toBe(201);
    expect(
      (
        await request(t.app)
          .post('/api/v1/carts')
          .send({ storeLink: `${store.link}/` })
      ).status,
    ).toBe(201);
    // Slugs are lower-case by construction: a link typed with capitals names the same store.
    const typed = await request(t.app).post('/api/v1/carts').send({ storeLink: store.link.toUpperCase() }).expect(201);
    expect(typed.body).toMatchObject({ storeId: store.id, storeLink: store.link });
    await request(t.app)
      .post(`/api/v1/carts/${typed.body.id}/items`)
      .send({ productId: rice.id, qty: 1, storeLink: store.slug.toUpperCase() })
      .expect(200);
    expect((await request(t.app).post('/api/v1/carts').send({ storeLink: 'no-such-store' })).status).toBe(404);
    expect((await request(t.app).post('/api/v1/carts').send({ storeLink: 'http://shop.test/no-such-store' })).status).toBe(404);
    expect((await request(t.app).post('/api/v1/carts').send({ storeLink: '' })).status).toBe(400);
    expect((await request(t.app).post('/api/v1/carts').send({})).status).toBe(400);
  });

  test('a new cart for a store already seen does not look the store up in PostgreSQL again (the slug → store mapping never goes stale)', async () => {
    await request(t.app).post('/api/v1/carts').send({ storeLink: store.slug }).expect(201);
    const reads = jest.spyOn(t.container.db.store, 'findUnique');
    const res = await request(t.app).post('/api/v1/carts').send({ storeLink: store.link }).expect(201);
    expect(res.body).toMatchObject({ storeId: store.id, storeLink: store.link });
    expect(reads).not.toHaveBeenCalled();
    // An unknown store is still asked about, and still 404.
    await request(t.app).post('/api/v1/carts').send({ storeLink: 'no-such-store-either' }).expect(404);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  test('adding increments the line; totals are exact (19.99 x 3 = 59.97)', async () => {
    const cartId = await newCart(t.app, store);
    await addToCart(t.app, cartId, store, rice.id, 1).expect(200);
    const res = await addToCart(t.app, cartId, store, rice.id, 2).expect(200);
    expect(res.body.items).toEqual([
      { productId: rice.id, name: 'Rice', image: null, mrp: 25, salePrice: 19.99, qty: 3, lineTotal: 59.97 },
    ]);
    expect(res.body).toMatchObject({ itemCount: 3, mrpTotal: 75, subtotal: 59.97, savings: 15.03 });
    const two = await addToCart(t.app, cartId, store, dal.id, 2).expect(200);
    expect(two.body.items.map((i: { name: string }) => i.name)).toEqual(['Rice', 'Dal']);
    expect(two.body).toMatchObject({ itemCount: 5, mrpTotal: 275, subtotal: 219.97, savings: 55.03 });
  });

  test('PATCH sets the quantity, 0 removes the line; DELETE removes it', async () => {
    const cartId = await newCart(t.app, store);
    await addToCart(t.app, cartId, store, rice.id, 2).expect(200);
    await addToCart(t.app, cartId, store, dal.id, 1).expect(200);
    const set = await request(t.app).patch(`/api/v1/carts/${cartId}/items/${rice.id}`).send({ qty: 7 }).expect(200);
    expect(set.body.items[0].qty).toBe(7);
    const zero = await request(t.app).patch(`/api/v1/carts/${cartId}/items/${rice.id}`).send({ qty: 0 }).expect(200);
    expect(zero.body.items.map((i: { productId: string }) => i.productId)).toEqual([dal.id]);
    const removed = await request(t.app).delete(`/api/v1/carts/${cartId}/items/${dal.id}`).expect(200);
    expect(removed.body).toMatchObject({ items: [], itemCount: 0, subtotal: 0 });
    expect((await request(t.app).patch(`/api/v1/carts/${cartId}/items/${dal.id}`).send({ qty: 1 })).status).toBe(404);
  });

  const QTY = 'must be a whole number from 1 to 99';
  test.each([
    [{ qty: 0 }, 'qty', QTY],
    [{ qty: 100 }, 'qty', QTY],
    [{ qty: 1.5 }, 'qty', QTY],
    [{ qty: '2' }, 'qty', QTY],
    [{ qty: -1 }, 'qty', QTY],
    [{ qty: undefined }, 'qty', 'is required'],
    [{ productId: undefined }, 'productId', 'is required'],
    [{ storeLink: undefined }, 'storeLink', 'is required'],
    [{ storeLink: 5 }, 'storeLink', 'must be a string'],
  ])('adding with %p is 400: %s %s', async (override, path, message) => {
    const cartId = await newCart(t.app, store);
    const res = await request(t.app)
      .post(`/api/v1/carts/${cartId}/items`)
      .send({ productId: rice.id, qty: 1, storeLink: store.slug, ...override });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ path, message });
  });

  test.each([[-1], [100], [2.5], ['3']])('PATCH qty %p is 400', async (qty) => {
    const cartId = await newCart(t.app, store);
    await addToCart(t.app, cartId, store, rice.id, 1).expect(200);
    const res = await request(t.app).patch(`/api/v1/carts/${cartId}/items/${rice.id}`).send({ qty });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'qty', message: 'must be a whole number from 0 to 99' }]);
  });

  test('a line cannot pass 99, nor the stock (409), and a refused add changes nothing', async () => {
    const cartId = await newCart(t.app, store);
    await addToCart(t.app, cartId, store, rice.id, 99).expect(200);
    const over = await addToCart(t.app, cartId, store, rice.id, 1);
    expect(over.status).toBe(409);
    expect((await request(t.app).patch(`/api/v1/carts/${cartId}/items/${rice.id}`).send({ qty: 99 })).status).toBe(200);
    expect((await addToCart(t.app, cartId, store, dal.id, 6)).status).toBe(409);
    await addToCart(t.app, cartId, store, dal.id, 5).expect(200);
    expect((await addToCart(t.app, cartId, store, dal.id, 1)).status).toBe(409);
    expect((await request(t.app).patch(`/api/v1/carts/${cartId}/items/${dal.id}`).send({ qty: 6 })).status).toBe(409);
    const cart = await request(t.app).get(`/api/v1/carts/${cartId}`).expect(200);
    expect(cart.body.items.map((i: { qty: number }) => i.qty)).toEqual([99, 5]);
  });

  test('a 101st line is 409', async () => {
    const s = await newStore(t.app, seller);
    const ids: string[] = [];
    for (let i = 0; i < 101; i++) ids.push((await newProduct(t.app, seller, s, { name: `Item ${i}`, mrp: 1, salePrice: 1 })).id);
    const cartId = await newCart(t.app, s);
    for (const id of ids.slice(0, 100)) await addToCart(t.app, cartId, s, id, 1).expect(200);
    const res = await addToCart(t.app, cartId, s, ids[100]!, 1);
    expect(res.status).toBe(409);
    // Adding to an existing line still works at 100 lines.
    expect((await addToCart(t.app, cartId, s, ids[0]!, 1)).status).toBe(200);
  });

  test("another store's product, or a storeLink naming another store, is 409; an unknown store link 404", async () => {
    const other = await newStore(t.app, seller);
    const foreign = await newProduct(t.app, seller, other);
    const cartId = await newCart(t.app, store);
    expect((await addToCart(t.app, cartId, store, foreign.id, 1)).status).toBe(409);
    expect((await addToCart(t.app, cartId, other, rice.id, 1)).status).toBe(409);
    const unknownLink = await request(t.app)
      .post(`/api/v1/carts/${cartId}/items`)
      .send({ productId: rice.id, qty: 1, storeLink: 'nobody-here' });
    expect(unknownLink.status).toBe(404);
    expect((await request(t.app).get(`/api/v1/carts/${cartId}`)).body.items).toEqual([]);
  });

  test('hidden and archived products cannot be added (409); an archived product leaves existing carts', async () => {
    const hidden = await newProduct(t.app, seller, store, { active: false });
    const soon = await newProduct(t.app, seller, store, { name: 'Soon Gone' });
    const cartId = await newCart(t.app, store);
    expect((await addToCart(t.app, cartId, store, hidden.id, 1)).status).toBe(409);
    await addToCart(t.app, cartId, store, soon.id, 2).expect(200);
    await addToCart(t.app, cartId, store, rice.id, 1).expect(200);
    await request(t.app)
      .delete(`/api/v1/seller/stores/${store.id}/products/${soon.id}`)
      .set(...auth(seller.token))
      .expect(204);
    const cart = await request(t.app).get(`/api/v1/carts/${cartId}`).expect(200);
    expect(cart.body.items.map((i: { productId: string }) => i.productId)).toEqual([rice.id]);
    expect(cart.body.itemCount).toBe(1);
    expect((await addToCart(t.app, cartId, store, soon.id, 1)).status).toBe(409);
  });

  test('an unknown product is 404; unknown, malformed and expired carts are 404', async () => {
    const cartId = await newCart(t.app, store);
    expect((await addToCart(t.app, cartId, store, '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5e', 1)).status).toBe(404);
    expect((await addToCart(t.app, cartId, store, 'not-a-uuid', 1)).status).toBe(404);
    const missing = '5b0f3c1e-8a9d-4c2b-9e7f-1a2b3c4d5e6f';
    for (const id of [missing, 'not-a-uuid', '123']) {
      expect((await request(t.app).get(`/api/v1/carts/${id}`)).status).toBe(404);
      expect(
        (await request(t.app).post(`/api/v1/carts/${id}/items`).send({ productId: rice.id, qty: 1, storeLink: store.slug })).status,
      ).toBe(404);
      expect((await request(t.app).patch(`/api/v1/carts/${id}/items/${rice.id}`).send({ qty: 1 })).status).toBe(404);
      expect((await request(t.app).delete(`/api/v1/carts/${id}/items/${rice.id}`)).status).toBe(404);
    }
  });

  describe('with CART_TTL_SECONDS=2 and EMPTY_CART_TTL_SECONDS=1', () => {
    let short: TestApp;
    beforeAll(async () => {
      short = await buildTestApp({ CART_TTL_SECONDS: '2', EMPTY_CART_TTL_SECONDS: '1' });
    });
    afterAll(() => short.close());
    const status = async (cartId: string) => (await request(short.app).get(`/api/v1/carts/${cartId}`)).status;
    /** Waits (at most 6 s) for the cart to be gone, and says how long that took. */
    const goneAfter = async (cartId: string) => {
      const start = Date.now();
      while ((await status(cartId)) === 200 && Date.now() - start < 6_000) await new Promise((r) => setTimeout(r, 100));
      expect(await status(cartId)).toBe(404);
      return Date.now() - start;
    };

    test('a cart with a line, left alone, expires after CART_TTL_SECONDS, and is then 404 to every cart operation', async () => {
      const cartId = await newCart(short.app, store);
      await addToCart(short.app, cartId, store, rice.id, 1).expect(200);
      // Past the empty cart's second, a cart with a line is still there.
      await new Promise((r) => setTimeout(r, 1_300));
      expect(await status(cartId)).toBe(200);
      expect(await goneAfter(cartId)).toBeLessThan(6_000);
      expect((await addToCart(short.app, cartId, store, rice.id, 1)).status).toBe(404);
      expect((await request(short.app).delete(`/api/v1/carts/${cartId}/items/${rice.id}`)).status).toBe(404);
    });

    test('an empty cart expires after EMPTY_CART_TTL_SECONDS, and so does one whose last line was removed', async () => {
      const empty = await newCart(short.app, store);
      expect(await goneAfter(empty)).toBeLessThan(1_900);
      const emptied = await newCart(short.app, store);
      await addToCart(short.app, emptied, store, rice.id, 1).expect(200);
      await request(short.app).delete(`/api/v1/carts/${emptied}/items/${rice.id}`).expect(200);
      expect(await goneAfter(emptied)).toBeLessThan(1_900);
    });

    test('each change starts the time to live again: changed every half second, a cart outlives it', async () => {
      const cartId = await newCart(short.app, store);
      const start = Date.now();
      while (Date.now() - start < 3_000) {
        await addToCart(short.app, cartId, store, rice.id, 1).expect(200);
        await new Promise((r) => setTimeout(r, 500));
      }
      // 3 s after it was made, a cart that lives 2 s without a change is still there.
      expect(await status(cartId)).toBe(200);
      expect(await goneAfter(cartId)).toBeLessThan(6_000);
    });
  });

  test('line metadata is saved when the line is added: a later price change shows only on the next add', async () => {
    const p = await newProduct(t.app, seller, store, { name: 'Sugar', mrp: 50, salePrice: 45 });
    const cartId = await newCart(t.app, store);
    await addToCart(t.app, cartId, store, p.id, 1).expect(200);
    await request(t.app)
      .patch(`/api/v1/seller/stores/${store.id}/products/${p.id}`)
      .set(...auth(seller.token))
      .send({ salePrice: 40 })
      .expect(200);
    expect((await request(t.app).get(`/api/v1/carts/${cartId}`)).body.items[0].salePrice).toBe(45);
    expect((await addToCart(t.app, cartId, store, p.id, 1).expect(200)).body.items[0]).toMatchObject({ salePrice: 40, qty: 2 });
  });

  test('when 20 adds of one unit hit one line at once, then the line ends at exactly 20', async () => {
    const cartId = await newCart(t.app, store);
    const results = await Promise.all(Array.from({ length: 20 }, () => addToCart(t.app, cartId, store, rice.id, 1)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const cart = await request(t.app).get(`/api/v1/carts/${cartId}`).expect(200);
    expect(cart.body.items[0].qty).toBe(20);
    expect(cart.body.itemCount).toBe(20);
  });

  test('when 10 different products are added at once, then all 10 lines are kept', async () => {
    const s = await newStore(t.app, seller);
    const ids = [];
    for (let i = 0; i < 10; i++) ids.push((await newProduct(t.app, seller, s, { name: `Par ${i}` })).id);
    const cartId = await newCart(t.app, s);
    await Promise.all(ids.map((id) => addToCart(t.app, cartId, s, id, 2).expect(200)));
    const cart = await request(t.app).get(`/api/v1/carts/${cartId}`).expect(200);
    expect(cart.body.items).toHaveLength(10);
    expect(cart.body.itemCount).toBe(20);
  });
});
