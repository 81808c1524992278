import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { auth, newProduct, newSeller, newStore, type Seller, type StoreRef } from '../helpers/factories';

describe('products', () => {
  let t: TestApp;
  let seller: Seller;
  let store: StoreRef;
  const path = (s: StoreRef = store) => `/api/v1/seller/stores/${s.id}/products`;

  beforeAll(async () => {
    t = await buildTestApp();
    seller = await newSeller(t.app);
    store = await newStore(t.app, seller);
  });
  afterAll(() => t.close());

  test('when a product is created by JSON, then the answer is the whole product with exact money', async () => {
    const res = await request(t.app)
      .post(path())
      .set(...auth(seller.token))
      .send({ name: ' Toor Dal 1kg ', description: 'Unpolished', mrp: 199.99, salePrice: 19.99, category: ' Pulses ', stock: 12 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      storeId: store.id,
      name: 'Toor Dal 1kg',
      description: 'Unpolished',
      mrp: 199.99,
      salePrice: 19.99,
      category: { id: expect.any(String), name: 'Pulses' },
      image: null,
      imageVariants: null,
      stock: 12,
      active: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  test('stock omitted or null means unlimited; an empty description is null', async () => {
    const a = await newProduct(t.app, seller, store);
    const b = await newProduct(t.app, seller, store, { stock: null, description: '' });
    expect(a.stock).toBeNull();
    expect(b.stock).toBeNull();
    expect(b.description).toBeNull();
  });

  test('categories are reused case-insensitively and trimmed, keeping the first spelling', async () => {
    const s = await newStore(t.app, seller);
    const a = await newProduct(t.app, seller, s, { category: 'Snacks' });
    const b = await newProduct(t.app, seller, s, { category: '  SNACKS ' });
    const c = await newProduct(t.app, seller, s, { category: 'snacks' });
    expect(b.category).toEqual(a.category);
    expect(c.category).toEqual(a.category);
    const cats = await request(t.app)
      .get(`/api/v1/seller/stores/${s.id}/categories`)
      .set(...auth(seller.token))
      .expect(200);
    expect(cats.body).toEqual({ items: [{ id: a.category.id, name: 'Snacks', productCount: 3 }] });
  });

  test('when 10 products with a new category are created at once, then they share one category', async () => {
    const s = await newStore(t.app, seller);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        request(t.app)
          .post(path(s))
          .set(...auth(seller.token))
          .send({ name: `P${i}`, mrp: 10, salePrice: 10, category: i % 2 ? 'Dairy' : ' dairy ' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.body.category.id)).size).toBe(1);
    const cats = await request(t.app)
      .get(`/api/v1/seller/stores/${s.id}/categories`)
      .set(...auth(seller.token))
      .expect(200);
    expect(cats.body.items).toHaveLength(1);
    expect(cats.body.items[0].productCount).toBe(10);
  });

  const AMOUNT = 'must be an amount in rupees with at most 2 decimals';
  const STOCK = 'must be a whole number from 0 to 1000000000';
  test.each([
    [{ mrp: 100, salePrice: 100.01 }, 'salePrice', 'must not be more than mrp'],
    [{ mrp: 0, salePrice: 0 }, 'mrp', 'must be more than 0 and at most 10000000'],
    [{ mrp: -1 }, 'mrp', 'must be more than 0 and at most 10000000'],
    [{ mrp: 10000000.01, salePrice: 5 }, 'mrp', 'must be more than 0 and at most 10000000'],
    [{ mrp: 1e12, salePrice: 5 }, 'mrp', 'must be more than 0 and at most 10000000'],
    [{ mrp: '-5', salePrice: 5 }, 'mrp', 'must be more than 0 and at most 10000000'],
    [{ mrp: 10.001 }, 'mrp', AMOUNT],
    [{ mrp: '12abc' }, 'mrp', AMOUNT],
    [{ mrp: true }, 'mrp', AMOUNT],
    [{ salePrice: null }, 'salePrice', AMOUNT],
    [{ salePrice: undefined }, 'salePrice', 'is required'],
    [{ name: undefined }, 'name', 'is required'],
    [{ name: 5 }, 'name', 'must be a string'],
    [{ name: '' }, 'name', 'must be at least 1 character'],
    [{ name: 'n'.repeat(201) }, 'name', 'must be at most 200 characters'],
    [{ description: 'd'.repeat(5001) }, 'description', 'must be at most 5000 characters'],
    [{ description: 7 }, 'description', 'must be a string'],
    [{ category: '' }, 'category', 'must be at least 1 character'],
    [{ category: 'c'.repeat(101) }, 'category', 'must be at most 100 characters'],
    [{ stock: -1 }, 'stock', STOCK],
    [{ stock: 1.5 }, 'stock', STOCK],
    [{ stock: 'lots' }, 'stock', STOCK],
    [{ stock: true }, 'stock', STOCK],
    [{ name: 'nul\u0000byte' }, 'name', 'must not contain NUL bytes'],
    [{ description: 'nul\u0000byte' }, 'description', 'must not contain NUL bytes'],
    [{ price: 5 }, 'price', 'is not a known field'],
  ])('when the body has %p, then 400 says %s %s and nothing is created', async (override, field, message) => {
    const s = await newStore(t.app, seller);
    const res = await request(t.app)
      .post(path(s))
      .set(...auth(seller.token))
      .send({ name: 'Thing', mrp: 100, salePrice: 90, category: 'Misc', ...override });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toContainEqual({ path: field, message });
    const list = await request(t.app)
      .get(path(s))
      .set(...auth(seller.token))
      .expect(200);
    expect(list.body.total).toBe(0);
  });

  test('the highest allowed price and exactly-equal prices are accepted', async () => {
    const p = await newProduct(t.app, seller, store, { mrp: 10000000, salePrice: 10000000 });
    expect(p).toMatchObject({ mrp: 10000000, salePrice: 10000000 });
  });

  describe('listing', () => {
    let s: StoreRef;
    beforeAll(async () => {
      s = await newStore(t.app, seller);
      await newProduct(t.app, seller, s, { name: 'Amul Butter', category: 'Dairy' });
      await newProduct(t.app, seller, s, { name: 'Mother Dairy Milk', category: 'dairy' });
      await newProduct(t.app, seller, s, { name: 'Butter Cookies', category: 'Snacks', active: false });
      await newProduct(t.app, seller, s, { name: '100% Juice_Box', category: 'Drinks' });
    });
    const list = (q: string) =>
      request(t.app)
        .get(`${path(s)}?${q}`)
        .set(...auth(seller.token))
        .expect(200);
    const names = (res: request.Response) => res.body.items.map((p: { name: string }) => p.name);

    test('newest first, hidden products included, with the list envelope', async () => {
      const res = await list('');
      expect(res.body).toMatchObject({ page: 1, limit: 20, total: 4 });
      expect(names(res)).toEqual(['100% Juice_Box', 'Butter Cookies', 'Mother Dairy Milk', 'Amul Butter']);
    });

    test('?category= is case-insensitive, ?q= searches names case-insensitively, ?active= filters', async () => {
      expect(names(await list('category=DAIRY'))).toEqual(['Mother Dairy Milk', 'Amul Butter']);
      expect(names(await list('q=butter'))).toEqual(['Butter Cookies', 'Amul Butter']);
      expect(names(await list('active=false'))).toEqual(['Butter Cookies']);
      expect((await list('active=true')).body.total).toBe(3);
      expect(names(await list('q=butter&active=true'))).toEqual(['Amul Butter']);
      expect((await list('category=nothing')).body.total).toBe(0);
    });

    test('?q= treats % and _ as plain characters', async () => {
      expect(names(await list('q=%25'))).toEqual(['100% Juice_Box']);
      expect(names(await list('q=e_b'))).toEqual(['100% Juice_Box']);
    });

    test('pagination', async () => {
      const res = await list('limit=3&page=2');
      expect(res.body).toMatchObject({ page: 2, limit: 3, total: 4 });
      expect(names(res)).toEqual(['Amul Butter']);
    });

    test.each(['active=yes', 'limit=500', 'q=%00', 'category='])('when the query is %s, then 400', async (q) => {
      const res = await request(t.app)
        .get(`${path(s)}?${q}`)
        .set(...auth(seller.token));
      expect(res.status).toBe(400);
    });
  });

  test('GET one product; PATCH any field; the price rule holds across fields', async () => {
    const p = await newProduct(t.app, seller, store, { mrp: 100, salePrice: 90, stock: 3 });
    const url = `${path()}/${p.id}`;
    expect(
      (
        await request(t.app)
          .get(url)
          .set(...auth(seller.token))
          .expect(200)
      ).body,
    ).toEqual(p);

    const patched = await request(t.app)
      .patch(url)
      .set(...auth(seller.token))
      .send({ name: 'Renamed', salePrice: 80, stock: null, active: false, category: 'Brand New Category', description: 'Now described' })
      .expect(200);
    expect(patched.body).toMatchObject({
      name: 'Renamed',
      salePrice: 80,
      mrp: 100,
      stock: null,
      active: false,
      description: 'Now described',
      category: { name: 'Brand New Category' },
    });
    expect(new Date(patched.body.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(p.updatedAt as string).getTime());

    // mrp below the current salePrice: refused although salePrice is not in the body.
    const bad = await request(t.app)
      .patch(url)
      .set(...auth(seller.token))
      .send({ mrp: 50 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('salePrice');
    expect(
      (
        await request(t.app)
          .get(url)
          .set(...auth(seller.token))
      ).body.mrp,
    ).toBe(100);
  });

  test('PATCH with unknown fields or bad values is 400 and changes nothing', async () => {
    const p = await newProduct(t.app, seller, store);
    const url = `${path()}/${p.id}`;
    for (const body of [{ storeId: store.id }, { active: 'maybe' }, { mrp: 'free' }, { name: '' }]) {
      expect(
        (
          await request(t.app)
            .patch(url)
            .set(...auth(seller.token))
            .send(body)
        ).status,
      ).toBe(400);
    }
    expect(
      (
        await request(t.app)
          .get(url)
          .set(...auth(seller.token))
      ).body,
    ).toEqual(p);
  });

  test('DELETE archives: gone from GET and the list, a second DELETE is 404, the category count drops', async () => {
    const s = await newStore(t.app, seller);
    const p = await newProduct(t.app, seller, s, { category: 'Temp' });
    const url = `${path(s)}/${p.id}`;
    await request(t.app)
      .delete(url)
      .set(...auth(seller.token))
      .expect(204);
    expect(
      (
        await request(t.app)
          .get(url)
          .set(...auth(seller.token))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(t.app)
          .patch(url)
          .set(...auth(seller.token))
          .send({ name: 'x' })
      ).status,
    ).toBe(404);
    expect(
      (
        await request(t.app)
          .delete(url)
          .set(...auth(seller.token))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(t.app)
          .get(path(s))
          .set(...auth(seller.token))
      ).body.total,
    ).toBe(0);
    const cats = await request(t.app)
      .get(`/api/v1/seller/stores/${s.id}/categories`)
      .set(...auth(seller.token));
    expect(cats.body.items).toEqual([{ id: p.category.id, name: 'Temp', productCount: 0 }]);
  });

  test("another seller's store and products are 404 everywhere, and untouched", async () => {
    const p = await newProduct(t.app, seller, store);
    const other = await newSeller(t.app);
    const url = `${path()}/${p.id}`;
    const as = (r: request.Test) => r.set(...auth(other.token));
    expect((await as(request(t.app).get(path()))).status).toBe(404);
    expect((await as(request(t.app).post(path())).send({ name: 'x', mrp: 1, salePrice: 1, category: 'x' })).status).toBe(404);
    expect((await as(request(t.app).get(url))).status).toBe(404);
    expect((await as(request(t.app).patch(url)).send({ name: 'stolen' })).status).toBe(404);
    expect((await as(request(t.app).delete(url))).status).toBe(404);
    expect((await as(request(t.app).get(`/api/v1/seller/stores/${store.id}/categories`))).status).toBe(404);
    // A product id under the seller's own but different store is also not found.
    const otherStore = await newStore(t.app, other);
    expect((await as(request(t.app).get(`/api/v1/seller/stores/${otherStore.id}/products/${p.id}`))).status).toBe(404);
    expect(
      (
        await request(t.app)
          .get(url)
          .set(...auth(seller.token))
      ).body.name,
    ).toBe(p.name);
  });

  test('malformed ids are 404', async () => {
    expect(
      (
        await request(t.app)
          .get(`${path()}/nope`)
          .set(...auth(seller.token))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(t.app)
          .get('/api/v1/seller/stores/nope/products')
          .set(...auth(seller.token))
      ).status,
    ).toBe(404);
  });
});
