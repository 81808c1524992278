import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { auth, newSeller, newStore, type Seller } from '../helpers/factories';

describe('stores', () => {
  let t: TestApp;
  let seller: Seller;
  beforeAll(async () => {
    t = await buildTestApp();
    seller = await newSeller(t.app);
  });
  afterAll(() => t.close());

  const uniqueName = (label: string) => `${label} ${Math.random().toString(36).slice(2, 8)}`;

  test('when a seller opens a store, then it gets a slug from the name and a link from PUBLIC_BASE_URL', async () => {
    const name = uniqueName('Ramesh Kirana');
    const res = await request(t.app)
      .post('/api/v1/seller/stores')
      .set(...auth(seller.token))
      .send({ name: `  ${name} `, address: ' 12 MG Road ' });
    expect(res.status).toBe(201);
    const slug = name.toLowerCase().replace(/ /g, '-');
    expect(res.body).toEqual({
      id: expect.any(String),
      name,
      address: '12 MG Road',
      slug,
      link: `http://shop.test/${slug}`,
      createdAt: expect.any(String),
      role: 'owner',
      permissions: ['products', 'orders', 'customers', 'settings'],
    });
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
  });

  test('when a name is taken, then the next store gets -2, then -3', async () => {
    const name = uniqueName('Sharma General');
    const a = await newStore(t.app, seller, { name });
    const b = await newStore(t.app, seller, { name });
    const c = await newStore(t.app, await newSeller(t.app), { name });
    expect(b.slug).toBe(`${a.slug}-2`);
    expect(c.slug).toBe(`${a.slug}-3`);
  });

  test('when 10 stores with one name are created at once, then all succeed with 10 distinct slugs', async () => {
    const name = uniqueName('Concurrent Mart');
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        request(t.app)
          .post('/api/v1/seller/stores')
          .set(...auth(seller.token))
          .send({ name, address: 'x' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const slugs = results.map((r) => r.body.slug as string);
    expect(new Set(slugs).size).toBe(10);
    const base = slugs.find((s) => !/-\d+$/.test(s))!;
    expect(base).toBeDefined();
    for (const s of slugs) expect(s === base || s.startsWith(`${base}-`)).toBe(true);
  });

  test('names of only emoji or non-Latin script still get a usable ASCII slug; reserved words are avoided', async () => {
    for (const name of ['🛒🛍️', 'राम किराना', 'api', 'docs', 'uploads']) {
      const store = await newStore(t.app, seller, { name });
      expect(store.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(['api', 'docs', 'uploads', 'healthz', 'readyz']).not.toContain(store.slug);
      expect(store.name).toBe(name);
    }
  });

  test('a seller lists only their own stores, newest first, paginated', async () => {
    const owner = await newSeller(t.app);
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await newStore(t.app, owner, { name: `Store ${i}` }));
    await newStore(t.app, await newSeller(t.app));
    const res = await request(t.app)
      .get('/api/v1/seller/stores?limit=2')
      .set(...auth(owner.token))
      .expect(200);
    expect(res.body).toMatchObject({ page: 1, limit: 2, total: 3 });
    expect(res.body.items.map((s: { id: string }) => s.id)).toEqual([made[2]!.id, made[1]!.id]);
    const page2 = await request(t.app)
      .get('/api/v1/seller/stores?limit=2&page=2')
      .set(...auth(owner.token))
      .expect(200);
    expect(page2.body.items.map((s: { id: string }) => s.id)).toEqual([made[0]!.id]);
  });

  test.each(['page=0', 'limit=0', 'limit=101', 'page=abc', 'limit=1.5', 'page=-1', 'limit=0x14', 'limit=1e1', 'limit=%205', 'page='])(
    'when the query is %s, then 400 saying what a page and a limit are',
    async (q) => {
      const res = await request(t.app)
        .get(`/api/v1/seller/stores?${q}`)
        .set(...auth(seller.token));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { path: q.split('=')[0], message: expect.stringMatching(/^must be a whole number from 1 to (100|1000000)$/) },
      ]);
    },
  );

  test('a query parameter given twice is 400 "must be given once", whatever its type', async () => {
    const res = await request(t.app)
      .get('/api/v1/seller/stores?limit=1&limit=2&page=1&page=1')
      .set(...auth(seller.token));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'page', message: 'must be given once' },
      { path: 'limit', message: 'must be given once' },
    ]);
    const list = await request(t.app)
      .get(`/api/v1/seller/stores/${(await newStore(t.app, seller)).id}/products?q=a&q=b`)
      .set(...auth(seller.token));
    expect(list.status).toBe(400);
    expect(list.body.errors).toEqual([{ path: 'q', message: 'must be given once' }]);
    // A parameter the endpoint does not read may repeat (utm_source and the like).
    await request(t.app)
      .get('/api/v1/seller/stores?utm=a&utm=b&limit=007')
      .set(...auth(seller.token))
      .expect(200);
  });

  test('GET and PATCH a store; the slug and link never change', async () => {
    const store = await newStore(t.app, seller, { name: uniqueName('Old Name') });
    const got = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}`)
      .set(...auth(seller.token))
      .expect(200);
    expect(got.body).toEqual(store);
    const patched = await request(t.app)
      .patch(`/api/v1/seller/stores/${store.id}`)
      .set(...auth(seller.token))
      .send({ name: 'A Completely New Name', address: 'New address' })
      .expect(200);
    expect(patched.body).toMatchObject({ name: 'A Completely New Name', address: 'New address', slug: store.slug, link: store.link });
    const renamedOnlyAddress = await request(t.app)
      .patch(`/api/v1/seller/stores/${store.id}`)
      .set(...auth(seller.token))
      .send({ address: 'Third' })
      .expect(200);
    expect(renamedOnlyAddress.body.name).toBe('A Completely New Name');
  });

  test.each([
    [{ slug: 'mine' }, 'slug'],
    [{ name: '' }, 'name'],
    [{ name: '   ' }, 'name'],
    [{ name: 'x'.repeat(201) }, 'name'],
    [{ address: 'a'.repeat(501) }, 'address'],
    [{ name: 'bad\u0000name' }, 'name'],
    [{ name: 42 }, 'name'],
  ])('when a PATCH body is %p, then 400 names %s and nothing changes', async (body, path) => {
    const store = await newStore(t.app, seller);
    const res = await request(t.app)
      .patch(`/api/v1/seller/stores/${store.id}`)
      .set(...auth(seller.token))
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    const after = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}`)
      .set(...auth(seller.token))
      .expect(200);
    expect(after.body).toEqual(store);
  });

  test.each([
    [{ address: 'x' }, 'name'],
    [{ name: 'x' }, 'address'],
    [{ name: 'x', address: '' }, 'address'],
    [{ name: 'x', address: { line1: 'a' } }, 'address'],
    [{ name: 'x'.repeat(201), address: 'x' }, 'name'],
  ])('when a create body is %p, then 400 names %s', async (body, path) => {
    const res = await request(t.app)
      .post('/api/v1/seller/stores')
      .set(...auth(seller.token))
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  test("another seller's store is 404 for GET and PATCH, and is left unchanged", async () => {
    const store = await newStore(t.app, seller);
    const other = await newSeller(t.app);
    expect(
      (
        await request(t.app)
          .get(`/api/v1/seller/stores/${store.id}`)
          .set(...auth(other.token))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(t.app)
          .patch(`/api/v1/seller/stores/${store.id}`)
          .set(...auth(other.token))
          .send({ name: 'Mine now' })
      ).status,
    ).toBe(404);
    const after = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}`)
      .set(...auth(seller.token))
      .expect(200);
    expect(after.body.name).toBe(store.name);
  });

  test('unknown and malformed store ids are 404', async () => {
    for (const id of ['0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5e', 'not-a-uuid', '1']) {
      const res = await request(t.app)
        .get(`/api/v1/seller/stores/${id}`)
        .set(...auth(seller.token));
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  test('store endpoints need a seller token', async () => {
    expect((await request(t.app).get('/api/v1/seller/stores')).status).toBe(401);
    expect((await request(t.app).post('/api/v1/seller/stores').send({ name: 'x', address: 'y' })).status).toBe(401);
  });
});
