import { readdir } from 'node:fs/promises';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { auth, newProduct, newSeller, newStore, type Seller, type StoreRef } from '../helpers/factories';
import { JPEG_BYTES, pngBytes, WEBP_BYTES } from '../helpers/images';

describe('product images', () => {
  let t: TestApp;
  let seller: Seller;
  let store: StoreRef;
  const path = () => `/api/v1/seller/stores/${store.id}/products`;
  const uploadPath = (url: string) => new URL(url).pathname;

  beforeAll(async () => {
    t = await buildTestApp();
    seller = await newSeller(t.app);
    store = await newStore(t.app, seller);
  });
  afterAll(() => t.close());

  function multipart(file?: { bytes: Buffer; name: string; type?: string }, fields: Record<string, string> = {}) {
    const req = request(t.app)
      .post(path())
      .set(...auth(seller.token));
    const all = { name: 'Photo Product', mrp: '250', salePrice: '199.50', category: 'Gifts', stock: '7', ...fields };
    for (const [k, v] of Object.entries(all)) req.field(k, v);
    if (file) req.attach('image', file.bytes, { filename: file.name, contentType: file.type ?? 'application/octet-stream' });
    return req;
  }

  test('when a real PNG is uploaded, then it is stored under a random name and served back as image/png with long caching', async () => {
    const png = pngBytes(4, 4);
    const res = await multipart({ bytes: png, name: 'photo.png', type: 'image/png' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Photo Product', mrp: 250, salePrice: 199.5, stock: 7, category: { name: 'Gifts' } });
    expect(res.body.image).toMatch(/^http:\/\/shop\.test\/uploads\/[0-9a-f]{32}\.png$/);

    const served = await request(t.app).get(uploadPath(res.body.image)).buffer(true).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toMatch(/max-age=31536000/);
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(served.body as Buffer, png)).toBe(0);
  });

  test.each([
    ['JPEG', JPEG_BYTES, 'jpg', 'image/jpeg'],
    ['WebP', WEBP_BYTES, 'webp', 'image/webp'],
  ])('%s is accepted by content, even with a misleading file name', async (_n, bytes, ext, mime) => {
    const res = await multipart({ bytes, name: 'document.txt', type: 'text/plain' });
    expect(res.status).toBe(201);
    expect(res.body.image).toMatch(new RegExp(`\\.${ext}$`));
    const served = await request(t.app).get(uploadPath(res.body.image)).expect(200);
    expect(served.headers['content-type']).toBe(mime);
  });

  test('when a non-image is named .png, then 415 and nothing is created or stored', async () => {
    const before = await readdir(t.container.config.uploadDir);
    const res = await multipart({ bytes: Buffer.from('<?php system($_GET["c"]); ?>'), name: 'evil.png', type: 'image/png' });
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await readdir(t.container.config.uploadDir)).toEqual(before);
    const gif = await multipart({ bytes: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'binary'), name: 'a.gif', type: 'image/gif' });
    expect(gif.status).toBe(415);
  });

  test('when the file is over 5 MB, then 413 and nothing is created', async () => {
    const big = Buffer.concat([pngBytes(), Buffer.alloc(5_000_001)]);
    const res = await multipart({ bytes: big, name: 'big.png', type: 'image/png' }, { name: 'Too Big' });
    expect(res.status).toBe(413);
    const list = await request(t.app)
      .get(`${path()}?q=Too%20Big`)
      .set(...auth(seller.token))
      .expect(200);
    expect(list.body.total).toBe(0);
  });

  test('when the form is invalid, then 400 and the uploaded image is not kept', async () => {
    const before = await readdir(t.container.config.uploadDir);
    const res = await multipart({ bytes: pngBytes(), name: 'p.png' }, { salePrice: '999' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('salePrice');
    expect(await readdir(t.container.config.uploadDir)).toEqual(before);
  });

  test('a body that claims multipart but is not is 400, not 500', async () => {
    for (const body of ['[]', '--x\r\nbroken', '']) {
      const res = await request(t.app)
        .post(path())
        .set(...auth(seller.token))
        .set('Content-Type', 'multipart/form-data; boundary=x')
        .send(body);
      expect(res.status).toBe(400);
    }
  });

  test('a file under another field name is 400', async () => {
    const res = await request(t.app)
      .post(path())
      .set(...auth(seller.token))
      .field('name', 'x')
      .attach('photo', pngBytes(), 'p.png');
    expect(res.status).toBe(400);
  });

  test('a form field given twice is 400 "must be given once", and nothing is created', async () => {
    const res = await request(t.app)
      .post(path())
      .set(...auth(seller.token))
      .field('name', 'One')
      .field('name', 'Two')
      .field('mrp', '10')
      .field('salePrice', '9')
      .field('category', 'Twice');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'name', message: 'must be given once' }]);
    const listed = await request(t.app)
      .get(`${path()}?category=Twice`)
      .set(...auth(seller.token))
      .expect(200);
    expect(listed.body.total).toBe(0);
  });

  test('multipart without an image creates a product with image null; empty stock means unlimited', async () => {
    const res = await multipart(undefined, { stock: '' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ image: null, stock: null });
  });

  test('PATCH with a new image replaces it (the old file is removed); JSON image null removes it', async () => {
    const created = await multipart({ bytes: pngBytes(), name: 'a.png' });
    const first = created.body.image as string;
    const url = `${path()}/${created.body.id}`;
    const replaced = await request(t.app)
      .patch(url)
      .set(...auth(seller.token))
      .field('salePrice', '150')
      .attach('image', JPEG_BYTES, 'b.jpg');
    expect(replaced.status).toBe(200);
    expect(replaced.body.image).toMatch(/\.jpg$/);
    expect(replaced.body.salePrice).toBe(150);
    expect((await request(t.app).get(uploadPath(first))).status).toBe(404);
    await request(t.app).get(uploadPath(replaced.body.image)).expect(200);

    const removed = await request(t.app)
      .patch(url)
      .set(...auth(seller.token))
      .send({ image: null })
      .expect(200);
    expect(removed.body.image).toBeNull();
    expect((await request(t.app).get(uploadPath(replaced.body.image))).status).toBe(404);
  });

  test('uploads serve only stored image names: no traversal, no listing, no dot files', async () => {
    for (const p of [
      '/uploads/',
      '/uploads',
      '/uploads/../package.json',
      '/uploads/%2e%2e%2fpackage.json',
      '/uploads/.env',
      '/uploads/abc.png',
    ]) {
      const res = await request(t.app).get(p);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  test('JSON create still works alongside multipart', async () => {
    const p = await newProduct(t.app, seller, store);
    expect(p.image).toBeNull();
  });
});
