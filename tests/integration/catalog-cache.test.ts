// The catalog is cached per instance; every change must show on every instance at once. How
// concurrent requests share one render is SingleFlightCache's, unit-tested on its own.
import request from 'supertest';
import { StoreVersions } from '../../src/services/store-versions';
import { buildTestApp, buildTwoInstances, type TestApp } from '../helpers/app';
import {
  auth,
  filledCart,
  newCustomer,
  newProduct,
  newSeller,
  newStore,
  placeOrder,
  type Seller,
  type StoreRef,
} from '../helpers/factories';

describe('the catalog cache', () => {
  let a: TestApp;
  let b: TestApp;
  let seller: Seller;
  beforeAll(async () => {
    [a, b] = await buildTwoInstances('cache');
    seller = await newSeller(a.app);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  const catalogOn = async (t: TestApp, store: StoreRef) =>
    (await request(t.app).get(`/api/v1/stores/${store.slug}/catalog`).expect(200)).body;
  const productsOn = async (t: TestApp, store: StoreRef) =>
    (await catalogOn(t, store)).categories.flatMap((c: { products: unknown[] }) => c.products);

  test('a repeated catalog is served from the cache: same bytes, same ETag, no new render', async () => {
    const store = await newStore(a.app, seller);
    await newProduct(a.app, seller, store);
    const first = await request(a.app).get(`/api/v1/stores/${store.slug}/catalog`).expect(200);
    const render = jest.spyOn(a.container.services.catalog, 'render');
    const second = await request(a.app).get(`/api/v1/stores/${store.slug}/catalog`).expect(200);
    expect(second.text).toBe(first.text);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(
      (
        await request(a.app)
          .get(`/api/v1/stores/${store.slug}/catalog`)
          .set('If-None-Match', first.headers.etag as string)
      ).status,
    ).toBe(304);
    expect(render).not.toHaveBeenCalled();
  });

  test('a change made through one instance shows at once on the other: price, new product, archive, store name', async () => {
    const store = await newStore(a.app, seller, { name: 'Cached Kirana' });
    const p = await newProduct(a.app, seller, store, { name: 'Tea', mrp: 100, salePrice: 90 });
    expect((await productsOn(a, store))[0].salePrice).toBe(90);

    await request(b.app)
      .patch(`/api/v1/seller/stores/${store.id}/products/${p.id}`)
      .set(...auth(seller.token))
      .send({ salePrice: 80 })
      .expect(200);
    expect((await productsOn(a, store))[0].salePrice).toBe(80);

    const q = await newProduct(b.app, seller, store, { name: 'Coffee' });
    expect((await productsOn(a, store)).map((x: { name: string }) => x.name)).toEqual(['Coffee', 'Tea']);

    await request(b.app)
      .delete(`/api/v1/seller/stores/${store.id}/products/${q.id}`)
      .set(...auth(seller.token))
      .expect(204);
    expect((await productsOn(a, store)).map((x: { name: string }) => x.name)).toEqual(['Tea']);

    await request(b.app)
      .patch(`/api/v1/seller/stores/${store.id}`)
      .set(...auth(seller.token))
      .send({ name: 'Renamed Kirana' })
      .expect(200);
    expect((await catalogOn(a, store)).store.name).toBe('Renamed Kirana');
  });

  test('the store behind a link is cached too, and a rename or a new address shows at once on the other instance', async () => {
    const store = await newStore(a.app, seller, { name: 'Linked Kirana' });
    const storeOn = async (t: TestApp) => (await request(t.app).get(`/api/v1/stores/${store.slug}`).expect(200)).body;
    expect((await storeOn(a)).name).toBe('Linked Kirana');
    const reads = jest.spyOn(a.container.db.store, 'findUnique');
    expect((await storeOn(a)).name).toBe('Linked Kirana');
    expect(reads).not.toHaveBeenCalled();
    await request(b.app)
      .patch(`/api/v1/seller/stores/${store.id}`)
      .set(...auth(seller.token))
      .send({ name: 'Relinked Kirana' })
      .expect(200);
    expect(await storeOn(a)).toMatchObject({ id: store.id, name: 'Relinked Kirana', slug: store.slug });
    await request(b.app)
      .patch(`/api/v1/seller/stores/${store.id}`)
      .set(...auth(seller.token))
      .send({ address: '2 New Road, Pune' })
      .expect(200);
    expect((await storeOn(a)).address).toBe('2 New Road, Pune');
  });

  test('stock taken by an order, and put back by a cancel, shows at once', async () => {
    const store = await newStore(a.app, seller);
    const p = await newProduct(a.app, seller, store, { stock: 10 });
    expect((await productsOn(a, store))[0].stock).toBe(10);
    const order = (await placeOrder(b.app, await newCustomer(b.app), await filledCart(b.app, store, [[p.id, 3]])).expect(201)).body;
    expect((await productsOn(a, store))[0].stock).toBe(7);
    await request(b.app)
      .patch(`/api/v1/seller/stores/${store.id}/orders/${order.id}`)
      .set(...auth(seller.token))
      .send({ status: 'REJECTED' })
      .expect(200);
    expect((await productsOn(a, store))[0].stock).toBe(10);
  });

  test('after orders, the last render is reused with the current stock laid over it: the same bytes as a fresh render', async () => {
    const store = await newStore(a.app, seller);
    const rice = await newProduct(a.app, seller, store, { name: 'Rice', stock: 50, category: 'Grains' });
    const dal = await newProduct(a.app, seller, store, { name: 'Dal', stock: 40, category: 'Grains' });
    await newProduct(a.app, seller, store, { name: 'Salt', category: 'Spices' }); // unlimited: never laid over
    const before = await request(a.app).get(`/api/v1/stores/${store.slug}/catalog`).expect(200);
    const catalog = a.container.services.catalog;
    const render = jest.spyOn(catalog, 'render');
    const stock = jest.spyOn(catalog, 'stockOf');
    // Orders race each other and buyers reading the catalog, on the other instance.
    const orders = Array.from({ length: 6 }, async (_, i) => {
      const cart = await filledCart(b.app, store, [
        [rice.id, 1 + i],
        [dal.id, 2],
      ]);
      return placeOrder(b.app, await newCustomer(b.app), cart).expect(201);
    });
    const reads = Array.from({ length: 6 }, () => request(a.app).get(`/api/v1/stores/${store.slug}/catalog`).expect(200));
    await Promise.all([...orders, ...reads]);
    const after = await request(a.app).get(`/api/v1/stores/${store.slug}/catalog`).expect(200);
    expect(render).not.toHaveBeenCalled();
    expect(stock).toHaveBeenCalled();
    const products = after.body.categories.flatMap((c: { products: Array<{ name: string }> }) => c.products);
    expect(products.map((p: { name: string; stock: number | null }) => [p.name, p.stock])).toEqual([
      ['Dal', 28],
      ['Rice', 29],
      ['Salt', null],
    ]);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    // Instance b never rendered this catalog: its first answer is a full render.
    const fresh = await request(b.app).get(`/api/v1/stores/${store.slug}/catalog`).expect(200);
    expect(after.text).toBe(fresh.text);
    expect(after.headers.etag).toBe(fresh.headers.etag);
    const listed = await request(a.app)
      .get(`/api/v1/seller/stores/${store.id}/products/${rice.id}`)
      .set(...auth(seller.token))
      .expect(200);
    expect(products[1]).toEqual(listed.body);
  });

  test("a seller's change after stock changes is rendered anew, and the store behind the link is not read again for stock", async () => {
    const store = await newStore(a.app, seller);
    const tea = await newProduct(a.app, seller, store, { name: 'Tea', stock: 10 });
    await catalogOn(a, store);
    await request(a.app).get(`/api/v1/stores/${store.slug}`).expect(200);
    await placeOrder(b.app, await newCustomer(b.app), await filledCart(b.app, store, [[tea.id, 1]])).expect(201);
    const render = jest.spyOn(a.container.services.catalog, 'render');
    const storeReads = jest.spyOn(a.container.db.store, 'findUnique');
    expect((await productsOn(a, store))[0].stock).toBe(9);
    expect((await request(a.app).get(`/api/v1/stores/${store.slug}`).expect(200)).body.id).toBe(store.id);
    expect(render).not.toHaveBeenCalled();
    expect(storeReads).not.toHaveBeenCalled();
    await request(b.app)
      .patch(`/api/v1/seller/stores/${store.id}/products/${tea.id}`)
      .set(...auth(seller.token))
      .send({ name: 'Green Tea', stock: 20 })
      .expect(200);
    expect((await productsOn(a, store))[0]).toMatchObject({ name: 'Green Tea', stock: 20 });
    expect(render).toHaveBeenCalledTimes(1);
  });

  test('stock is laid over one render for at most 30 s (the bound on staleness), then the catalog is rendered anew', async () => {
    const store = await newStore(a.app, seller);
    const tea = await newProduct(a.app, seller, store, { name: 'Tea', stock: 10 });
    await catalogOn(a, store);
    const render = jest.spyOn(a.container.services.catalog, 'render');
    const start = Date.now();
    const clock = jest.spyOn(Date, 'now');
    const customer = await newCustomer(b.app);
    const carts = [await filledCart(b.app, store, [[tea.id, 1]]), await filledCart(b.app, store, [[tea.id, 1]])];
    const orderOne = () => placeOrder(b.app, customer, carts.shift()!).expect(201);
    clock.mockReturnValue(start + 20_000);
    await orderOne();
    expect((await productsOn(a, store))[0].stock).toBe(9);
    expect(render).not.toHaveBeenCalled();
    // The cached answer was stored again at +20 s, but the render it builds on is from the start.
    clock.mockReturnValue(start + 35_000);
    await orderOne();
    expect((await productsOn(a, store))[0].stock).toBe(8);
    expect(render).toHaveBeenCalledTimes(1);
  });

  test('a product archived by the seller leaves the catalog even right after stock changes', async () => {
    const store = await newStore(a.app, seller);
    const [oil, ghee] = [
      await newProduct(a.app, seller, store, { name: 'Oil', stock: 5 }),
      await newProduct(a.app, seller, store, { name: 'Ghee', stock: 5 }),
    ];
    await catalogOn(a, store);
    await placeOrder(b.app, await newCustomer(b.app), await filledCart(b.app, store, [[oil.id, 1]])).expect(201);
    await request(b.app)
      .delete(`/api/v1/seller/stores/${store.id}/products/${ghee.id}`)
      .set(...auth(seller.token))
      .expect(204);
    expect((await productsOn(a, store)).map((p: { name: string; stock: number }) => [p.name, p.stock])).toEqual([['Oil', 4]]);
  });

  test('an import shows at once', async () => {
    const store = await newStore(a.app, seller);
    expect(await productsOn(a, store)).toEqual([]);
    await request(b.app)
      .post(`/api/v1/seller/stores/${store.id}/products/import`)
      .set(...auth(seller.token))
      .attach('file', Buffer.from('name,mrp,salePrice,category\nImported,10,9,Bulk\n'), { filename: 'p.csv', contentType: 'text/csv' })
      .expect(200);
    expect((await productsOn(a, store)).map((x: { name: string }) => x.name)).toEqual(['Imported']);
  });

  test("when the store's version is lost (Redis restarted empty), the cache is not trusted", async () => {
    const store = await newStore(a.app, seller);
    const p = await newProduct(a.app, seller, store, { salePrice: 100, mrp: 100 });
    await catalogOn(a, store);
    // Simulate an empty Redis, then a change whose invalidation also got lost.
    await a.container.redis.del(StoreVersions.key(store.id));
    await a.container.db.product.update({ where: { id: p.id }, data: { salePrice: '55.00' } });
    expect((await productsOn(a, store))[0].salePrice).toBe(55);
  });
});

describe('catalog renders: variants and pages from the cached render, and a bulkhead across stores', () => {
  let t: TestApp;
  let seller: Seller;
  beforeAll(async () => {
    t = await buildTestApp({ CATALOG_RENDERS: '1' });
    seller = await newSeller(t.app);
  });
  afterAll(() => t.close());

  test('perCategory variants and category pages are cut from the cached catalog: no render of their own', async () => {
    const store = await newStore(t.app, seller);
    for (const name of ['Atta', 'Besan', 'Chana']) await newProduct(t.app, seller, store, { name, category: 'Flour' });
    const full = (await request(t.app).get(`/api/v1/stores/${store.slug}/catalog`).expect(200)).body;
    const render = jest.spyOn(t.container.services.catalog, 'render');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => request(t.app).get(`/api/v1/stores/${store.slug}/catalog?perCategory=${(i % 3) + 1}`)),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(answers[1]!.body.categories[0]).toMatchObject({ productCount: 3, products: full.categories[0].products.slice(0, 2) });
    const category = full.categories[0].id as string;
    const page = await request(t.app).get(`/api/v1/stores/${store.slug}/categories/${category}/products?page=2&limit=2`).expect(200);
    expect(page.body).toEqual({ items: [full.categories[0].products[2]], page: 2, limit: 2, total: 3 });
    expect(render).not.toHaveBeenCalled();
  });

  test('a category with no visible product is an empty page; a category of another store is 404', async () => {
    const store = await newStore(t.app, seller);
    const hidden = await newProduct(t.app, seller, store, { category: 'Hidden', active: false });
    const other = await newStore(t.app, seller);
    const elsewhere = await newProduct(t.app, seller, other, { category: 'Elsewhere' });
    const empty = await request(t.app).get(`/api/v1/stores/${store.slug}/categories/${hidden.category.id}/products`).expect(200);
    expect(empty.body).toEqual({ items: [], page: 1, limit: 20, total: 0 });
    await request(t.app).get(`/api/v1/stores/${store.slug}/categories/${elsewhere.category.id}/products`).expect(404);
  });

  test('with CATALOG_RENDERS=1, catalogs of many stores requested at once render one at a time, and all answer', async () => {
    const stores = await Promise.all(Array.from({ length: 6 }, () => newStore(t.app, seller)));
    for (const store of stores) await newProduct(t.app, seller, store);
    const catalog = t.container.services.catalog;
    const original = catalog.render.bind(catalog);
    let running = 0;
    let most = 0;
    jest.spyOn(catalog, 'render').mockImplementation(async (storeId) => {
      most = Math.max(most, ++running);
      try {
        return await original(storeId);
      } finally {
        running--;
      }
    });
    const answers = await Promise.all(stores.map((s) => request(t.app).get(`/api/v1/stores/${s.slug}/catalog`)));
    expect(answers.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(most).toBe(1);
  });
});
