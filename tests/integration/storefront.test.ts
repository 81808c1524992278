import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { pngBytes } from '../helpers/images';
import { auth, newProduct, newSeller, newStore, type Seller, type StoreRef } from '../helpers/factories';

describe('storefront: store by link and catalog', () => {
  let t: TestApp;
  let seller: Seller;
  let store: StoreRef;
  beforeAll(async () => {
    t = await buildTestApp();
    seller = await newSeller(t.app);
    store = await newStore(t.app, seller, { name: 'Catalog Kirana', address: 'Main Bazaar' });
    await newProduct(t.app, seller, store, { name: 'Toor Dal', category: 'Pulses', mrp: 120, salePrice: 110, stock: 4 });
    await newProduct(t.app, seller, store, { name: 'Basmati Rice', category: 'Grains' });
    await newProduct(t.app, seller, store, { name: 'atta', category: 'grains' });
    await newProduct(t.app, seller, store, { name: 'Moong Dal', category: 'pulses' });
    await newProduct(t.app, seller, store, { name: 'Chana', category: 'Pulses' });
    await newProduct(t.app, seller, store, { name: 'Hidden Ghee', category: 'Dairy', active: false });
    const gone = await newProduct(t.app, seller, store, { name: 'Archived Paneer', category: 'Dairy' });
    await request(t.app)
      .delete(`/api/v1/seller/stores/${store.id}/products/${gone.id}`)
      .set(...auth(seller.token))
      .expect(204);
    await newProduct(t.app, seller, store, { name: 'Mango', category: 'Fruit' });
    await newProduct(t.app, seller, store, { name: 'Apple', category: 'Apples' });
  });
  afterAll(() => t.close());

  test('GET /stores/:slug answers the public store (no seller id)', async () => {
    const res = await request(t.app).get(`/api/v1/stores/${store.slug}`).expect(200);
    expect(res.body).toEqual({ id: store.id, name: 'Catalog Kirana', address: 'Main Bazaar', slug: store.slug, link: store.link });
  });

  test('slugs are lower-case, so a link typed with capitals finds its store and its catalog', async () => {
    const typed = store.slug.replace(/^./, (c) => c.toUpperCase()).replace(/-(.)/g, (_m, c: string) => `-${c.toUpperCase()}`);
    expect(typed).not.toBe(store.slug);
    expect((await request(t.app).get(`/api/v1/stores/${typed}`).expect(200)).body).toMatchObject({
      id: store.id,
      slug: store.slug,
      link: store.link,
    });
    const typedCatalog = await request(t.app).get(`/api/v1/stores/${typed.toUpperCase()}/catalog`).expect(200);
    expect(typedCatalog.body).toEqual((await request(t.app).get(`/api/v1/stores/${store.slug}/catalog`).expect(200)).body);
  });

  test.each(['no-such-store', 'UPPER', 'a b', '..', 'x'.repeat(200)])('an unknown slug (%s) is 404', async (slug) => {
    const res = await request(t.app).get(`/api/v1/stores/${encodeURIComponent(slug)}`);
    expect(res.status).toBe(404);
    expect((await request(t.app).get(`/api/v1/stores/${encodeURIComponent(slug)}/catalog`)).status).toBe(404);
  });

  test('the catalog holds active products only, categories by product count then name, products by name', async () => {
    const res = await request(t.app).get(`/api/v1/stores/${store.slug}/catalog`).expect(200);
    expect(res.body.store).toEqual({ id: store.id, name: 'Catalog Kirana', address: 'Main Bazaar', slug: store.slug, link: store.link });
    const shape = res.body.categories.map((c: { name: string; productCount: number; products: Array<{ name: string }> }) => [
      c.name,
      c.productCount,
      c.products.map((p) => p.name),
    ]);
    expect(shape).toEqual([
      ['Pulses', 3, ['Chana', 'Moong Dal', 'Toor Dal']],
      ['Grains', 2, ['atta', 'Basmati Rice']],
      ['Apples', 1, ['Apple']],
      ['Fruit', 1, ['Mango']],
    ]);
    // Rendered by PostgreSQL, yet exactly the product the seller API presents.
    const seller_view = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}/products?q=Toor`)
      .set(...auth(seller.token))
      .expect(200);
    expect(res.body.categories[0].products[2]).toEqual(seller_view.body.items[0]);
    const dal = res.body.categories[0].products[2];
    expect(dal).toMatchObject({ name: 'Toor Dal', mrp: 120, salePrice: 110, stock: 4, active: true, storeId: store.id, image: null });
    expect(dal.category).toEqual({ id: res.body.categories[0].id, name: 'Pulses' });
  });

  test('products with images are the same in the catalog as in the seller API, absolute image URL included', async () => {
    const s = await newStore(t.app, seller);
    const up = await request(t.app)
      .post(`/api/v1/seller/stores/${s.id}/products`)
      .set(...auth(seller.token))
      .field('name', 'Pictured')
      .field('mrp', '10.50')
      .field('salePrice', '10.5')
      .field('category', 'Art')
      .field('description', 'with "quotes" & ünïcode')
      .attach('image', pngBytes(), 'p.png')
      .expect(201);
    const res = await request(t.app).get(`/api/v1/stores/${s.slug}/catalog`).expect(200);
    expect(res.body.categories[0].products[0]).toEqual(up.body);
    expect(res.body.categories[0].products[0].image).toMatch(/^http:\/\/shop\.test\/uploads\/[0-9a-f]{32}\.png$/);
  });

  test('?perCategory=N keeps the first N products of each category, counts stay whole; a category pages through the rest', async () => {
    const res = await request(t.app).get(`/api/v1/stores/${store.slug}/catalog?perCategory=2`).expect(200);
    const shape = res.body.categories.map((c: { name: string; productCount: number; products: Array<{ name: string }> }) => [
      c.name,
      c.productCount,
      c.products.map((p) => p.name),
    ]);
    expect(shape).toEqual([
      ['Pulses', 3, ['Chana', 'Moong Dal']],
      ['Grains', 2, ['atta', 'Basmati Rice']],
      ['Apples', 1, ['Apple']],
      ['Fruit', 1, ['Mango']],
    ]);
    const pulses = res.body.categories[0].id;
    const page2 = await request(t.app).get(`/api/v1/stores/${store.slug}/categories/${pulses}/products?limit=2&page=2`).expect(200);
    expect(page2.body).toMatchObject({ page: 2, limit: 2, total: 3 });
    expect(page2.body.items.map((p: { name: string }) => p.name)).toEqual(['Toor Dal']);
    expect((await request(t.app).get(`/api/v1/stores/${store.slug}/catalog?perCategory=0`)).status).toBe(400);
    // Another store's category, or an unknown one, is 404.
    const other = await newStore(t.app, seller);
    expect((await request(t.app).get(`/api/v1/stores/${other.slug}/categories/${pulses}/products`)).status).toBe(404);
    expect((await request(t.app).get(`/api/v1/stores/${store.slug}/categories/0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5e/products`)).status).toBe(
      404,
    );
  });

  test('an empty store has an empty catalog', async () => {
    const empty = await newStore(t.app, seller);
    const res = await request(t.app).get(`/api/v1/stores/${empty.slug}/catalog`).expect(200);
    expect(res.body.categories).toEqual([]);
  });

  test('the catalog carries an ETag: 304 while nothing changed, a new body after a change', async () => {
    const s = await newStore(t.app, seller);
    const p = await newProduct(t.app, seller, s, { name: 'Tea', category: 'Drinks' });
    const first = await request(t.app).get(`/api/v1/stores/${s.slug}/catalog`).expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    const again = await request(t.app).get(`/api/v1/stores/${s.slug}/catalog`).set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    // A client asking to revalidate (Postman always sends no-cache) still gets its 304.
    const revalidate = await request(t.app)
      .get(`/api/v1/stores/${s.slug}/catalog`)
      .set('If-None-Match', `W/${etag}, "other"`)
      .set('Cache-Control', 'no-cache');
    expect(revalidate.status).toBe(304);
    expect((await request(t.app).get(`/api/v1/stores/${s.slug}/catalog`).set('If-None-Match', '"stale"')).status).toBe(200);
    await request(t.app)
      .patch(`/api/v1/seller/stores/${s.id}/products/${p.id}`)
      .set(...auth(seller.token))
      .send({ salePrice: 1 })
      .expect(200);
    const changed = await request(t.app).get(`/api/v1/stores/${s.slug}/catalog`).set('If-None-Match', etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.body.categories[0].products[0].salePrice).toBe(1);
  });

  test('the catalog costs a bounded number of queries, whatever the number of categories', async () => {
    const s = await newStore(t.app, seller);
    for (let i = 0; i < 12; i++) await newProduct(t.app, seller, s, { name: `P${i}`, category: `Category ${i}` });
    const queries: string[] = [];
    const pg = await import('pg');
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
      if (text) queries.push(text);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      const res = await request(t.app).get(`/api/v1/stores/${s.slug}/catalog`).expect(200);
      expect(res.body.categories).toHaveLength(12);
    } finally {
      pg.Client.prototype.query = original;
    }
    const selects = queries.filter((q) => /\bSELECT\b/i.test(q));
    // At least one, so the counting itself is proven to work; at most three (the store behind the
    // slug, once per instance; the store; its products), whatever the categories.
    expect(selects.length).toBeGreaterThanOrEqual(1);
    expect(selects.length).toBeLessThanOrEqual(3);
  });
});

describe('one product of a store, for storefront clients', () => {
  let t: TestApp;
  let seller: Seller;
  beforeAll(async () => {
    t = await buildTestApp();
    seller = await newSeller(t.app);
  });
  afterAll(() => t.close());

  test('an active product of the store is 200, exactly as the catalog and the seller API show it', async () => {
    const store = await newStore(t.app, seller);
    const p = await newProduct(t.app, seller, store, { name: 'Tea', stock: 4 });
    const res = await request(t.app).get(`/api/v1/stores/${store.slug}/products/${p.id}`).expect(200);
    const catalog = (await request(t.app).get(`/api/v1/stores/${store.slug}/catalog`).expect(200)).body;
    expect(res.body).toEqual(catalog.categories[0].products[0]);
    expect(res.body).toEqual(p);
  });

  test("a hidden, archived, unknown or other store's product is 404, as is an unknown store", async () => {
    const store = await newStore(t.app, seller);
    const other = await newStore(t.app, seller);
    const hidden = await newProduct(t.app, seller, store, { active: false });
    const archived = await newProduct(t.app, seller, store);
    await request(t.app)
      .delete(`/api/v1/seller/stores/${store.id}/products/${archived.id}`)
      .set(...auth(seller.token))
      .expect(204);
    const elsewhere = await newProduct(t.app, seller, other);
    for (const id of [hidden.id, archived.id, elsewhere.id, '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5e', 'not-a-uuid']) {
      const res = await request(t.app).get(`/api/v1/stores/${store.slug}/products/${id}`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect((await request(t.app).get(`/api/v1/stores/no-such-store/products/${elsewhere.id}`)).status).toBe(404);
  });
});
