import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { auth, newProduct, newSeller, newStore, type Seller, type StoreRef } from '../helpers/factories';
import { pngBytes } from '../helpers/images';

describe('CSV product import', () => {
  let t: TestApp;
  let seller: Seller;
  beforeAll(async () => {
    t = await buildTestApp();
    seller = await newSeller(t.app);
  });
  afterAll(() => t.close());

  const upload = (store: StoreRef, content: string | Buffer, filename = 'products.csv', who: Seller = seller) =>
    request(t.app)
      .post(`/api/v1/seller/stores/${store.id}/products/import`)
      .set(...auth(who.token))
      .attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content), { filename, contentType: 'text/csv' });
  const products = async (store: StoreRef) =>
    (
      await request(t.app)
        .get(`/api/v1/seller/stores/${store.id}/products?limit=100`)
        .set(...auth(seller.token))
        .expect(200)
    ).body;

  test('a good file: every row created, columns in any order, categories reused case-insensitively', async () => {
    const store = await newStore(t.app, seller);
    const existing = await newProduct(t.app, seller, store, { category: 'Groceries' });
    const csv = [
      'category,name,salePrice,mrp,stock,description',
      'groceries,Basmati Rice,129.50,150,40,"Aged, long grain"',
      'Snacks,Masala Chips,20,20,,',
      ' SNACKS ,"Biscuits ""Marie""",9.99,10,0,Tea time',
    ].join('\r\n');
    const res = await upload(store, csv);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ created: 3, failed: [] });
    const list = await products(store);
    expect(list.total).toBe(4);
    const byName = Object.fromEntries(list.items.map((p: { name: string }) => [p.name, p]));
    expect(byName['Basmati Rice']).toMatchObject({
      mrp: 150,
      salePrice: 129.5,
      stock: 40,
      description: 'Aged, long grain',
      category: existing.category,
    });
    expect(byName['Masala Chips']).toMatchObject({ stock: null, description: null, category: { name: 'Snacks' } });
    expect(byName['Biscuits "Marie"']).toMatchObject({ stock: 0, salePrice: 9.99, category: byName['Masala Chips'].category });
  });

  test('a file with bad rows: valid rows are created, invalid ones reported by 1-based data row with field errors', async () => {
    const store = await newStore(t.app, seller);
    const csv = [
      'name,description,mrp,salePrice,category,stock',
      'Good One,,100,90,Misc,5',
      'Too Dear,,100,120,Misc,',
      ',,100,90,Misc,',
      'Bad Price,,abc,10,Misc,',
      'Good Two,,50,50,Misc,',
      'Negative,,10,5,Misc,-3',
      'Short Row,,10',
    ].join('\n');
    const res = await upload(store, csv);
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(2);
    const failed = res.body.failed.map((f: { row: number; errors: Array<{ path: string }> }) => [f.row, f.errors.map((e) => e.path)]);
    expect(failed).toEqual([
      [2, ['salePrice']],
      [3, ['name']],
      [4, ['mrp']],
      [6, ['stock']],
      [7, expect.arrayContaining(['salePrice', 'category'])],
    ]);
    expect((await products(store)).items.map((p: { name: string }) => p.name).sort()).toEqual(['Good One', 'Good Two']);
  });

  test('a missing required column is 400 naming it, and nothing is created', async () => {
    const store = await newStore(t.app, seller);
    const res = await upload(store, 'name,mrp,category\nRice,10,Food\n');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'salePrice', message: expect.any(String) }]);
    expect((await products(store)).total).toBe(0);
  });

  test('an empty file is 400; a file of only a header creates nothing', async () => {
    const store = await newStore(t.app, seller);
    expect((await upload(store, '')).status).toBe(400);
    expect((await upload(store, 'name,description,mrp,salePrice,category,stock\n')).body).toEqual({ created: 0, failed: [] });
  });

  test('a file that is not CSV: an image is 415, binary junk 415, broken quoting 400; nothing is created', async () => {
    const store = await newStore(t.app, seller);
    expect((await upload(store, pngBytes(), 'products.csv')).status).toBe(415);
    expect((await upload(store, Buffer.from([0x6e, 0x61, 0x00, 0xff, 0xfe, 0x01]), 'x.csv')).status).toBe(415);
    const broken = await upload(store, 'name,mrp,salePrice,category\n"Unclosed,10,9,Food\n');
    expect(broken.status).toBe(400);
    expect(broken.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await products(store)).total).toBe(0);
  });

  test('more than 5,000 data rows is 413 and nothing is created', async () => {
    const store = await newStore(t.app, seller);
    const rows = Array.from({ length: 5001 }, (_, i) => `P${i},,10,9,Bulk,`);
    const res = await upload(store, ['name,description,mrp,salePrice,category,stock', ...rows].join('\n'));
    expect(res.status).toBe(413);
    expect((await products(store)).total).toBe(0);
  });

  test('a file over 5 MiB is 413 and nothing is created', async () => {
    const store = await newStore(t.app, seller);
    const header = 'name,description,mrp,salePrice,category,stock\n';
    const row = `Big,${'d'.repeat(4000)},10,9,Bulk,\n`;
    const csv = header + row.repeat(Math.ceil((5 * 1024 * 1024) / row.length) + 1);
    const res = await upload(store, csv);
    expect(res.status).toBe(413);
    expect((await products(store)).total).toBe(0);
  });

  test('5,000 rows are all created', async () => {
    const store = await newStore(t.app, seller);
    const rows = Array.from(
      { length: 5000 },
      (_, i) => `Product ${i},Item number ${i},${100 + (i % 50)},${90 + (i % 50)},Category ${i % 12},${i % 7 === 0 ? '' : i % 100}`,
    );
    const res = await upload(store, ['name,description,mrp,salePrice,category,stock', ...rows].join('\n'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ created: 5000, failed: [] });
    expect((await products(store)).total).toBe(5000);
    const cats = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}/categories`)
      .set(...auth(seller.token))
      .expect(200);
    expect(cats.body.items).toHaveLength(12);
    expect(cats.body.items.reduce((n: number, c: { productCount: number }) => n + c.productCount, 0)).toBe(5000);
  });

  test('one import at a time per store: imports sent together are 409 while one runs, with nothing created by them; other stores import meanwhile', async () => {
    const [store, other] = [await newStore(t.app, seller), await newStore(t.app, seller)];
    const file = ['name,mrp,salePrice,category', ...Array.from({ length: 5000 }, (_, i) => `Item ${i},10,9,Bulk`)].join('\n');
    const answers = await Promise.all([upload(store, file), upload(store, file), upload(store, file), upload(other, file)]);
    const mine = answers.slice(0, 3);
    const created = mine.filter((r) => r.status === 200);
    const refused = mine.filter((r) => r.status === 409);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(created.length + refused.length).toBe(3);
    for (const r of refused) expect(r.body.type).toMatch(/import-in-progress/);
    expect((await products(store)).total).toBe(5000 * created.length);
    expect(answers[3]!.status).toBe(200);
    // The lock is released: the next import goes through.
    expect((await upload(store, 'name,mrp,salePrice,category\nLast,10,9,Bulk\n')).status).toBe(200);
  });

  test("no file is 400; a JSON body is 415; another seller's store is 404", async () => {
    const store = await newStore(t.app, seller);
    const none = await request(t.app)
      .post(`/api/v1/seller/stores/${store.id}/products/import`)
      .set(...auth(seller.token))
      .field('x', 'y');
    expect(none.status).toBe(400);
    expect(none.body.errors[0].path).toBe('file');
    const json = await request(t.app)
      .post(`/api/v1/seller/stores/${store.id}/products/import`)
      .set(...auth(seller.token))
      .send({ file: 'x' });
    expect(json.status).toBe(415);
    const other = await newSeller(t.app);
    expect((await upload(store, 'name,mrp,salePrice,category\nx,1,1,y\n', 'p.csv', other)).status).toBe(404);
    expect((await products(store)).total).toBe(0);
  });
});
