import { mkdir, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import sharp from 'sharp';
import request from 'supertest';
import { buildTestApp, buildTwoInstances, type TestApp } from '../helpers/app';
import { auth, newProduct, newSeller, newStore, type Seller, type StoreRef } from '../helpers/factories';
import { jpegBytes, phoneJpeg, pngBytes, pngImage, WEBP_BYTES } from '../helpers/images';
import { ImageBackfill } from '../../src/services/images/image-backfill';

/** Every file of a product answer: the original, its variants, and the link preview beside them. */
function filesOf(body: { image: string; imageVariants: Array<{ url: string }> }): string[] {
  return [body.image, ...body.imageVariants.map((v) => v.url), body.image.replace(/\.[a-z]+$/, '-og.jpg')];
}

/** True when an EXIF block holds a GPS IFD pointer (tag 0x8825), in either byte order. */
function hasGpsPointer(exif: Buffer | undefined): boolean {
  return !!exif && (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])));
}

describe('product images', () => {
  let t: TestApp;
  let seller: Seller;
  let store: StoreRef;
  const path_ = () => `/api/v1/seller/stores/${store.id}/products`;
  const uploadPath = (url: string) => new URL(url).pathname;
  const storedFiles = () => t.container.db.imageFile.count({ where: { storeId: store.id } });

  beforeAll(async () => {
    t = await buildTestApp();
    seller = await newSeller(t.app);
    store = await newStore(t.app, seller);
  });
  afterAll(() => t.close());

  function multipart(file?: { bytes: Buffer; name: string; type?: string }, fields: Record<string, string> = {}) {
    const req = request(t.app)
      .post(path_())
      .set(...auth(seller.token));
    const all = { name: 'Photo Product', mrp: '250', salePrice: '199.50', category: 'Gifts', stock: '7', ...fields };
    for (const [k, v] of Object.entries(all)) req.field(k, v);
    if (file) req.attach('image', file.bytes, { filename: file.name, contentType: file.type ?? 'application/octet-stream' });
    return req;
  }

  test('when a PNG is uploaded, then it is stored under a random name and served back as image/png with long caching', async () => {
    const png = pngBytes(4, 4);
    const res = await multipart({ bytes: png, name: 'photo.png', type: 'image/png' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Photo Product', mrp: 250, salePrice: 199.5, stock: 7, category: { name: 'Gifts' } });
    expect(res.body.image).toMatch(/^http:\/\/shop\.test\/uploads\/[0-9a-f]{32}\.png$/);

    const served = await request(t.app).get(uploadPath(res.body.image)).buffer(true).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toMatch(/max-age=31536000/);
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    const meta = await sharp(served.body as Buffer).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 4, 4]);
    // Smaller than the smallest variant width: one variant, at its own size (never upscaled).
    expect(res.body.imageVariants).toEqual([{ width: 4, height: 4, url: expect.stringMatching(/-w4\.webp$/) }]);
  });

  test('a phone photo gets WebP variants of 320, 640 and 1200 px, upright, and no file served keeps its EXIF or GPS position', async () => {
    const photo = await phoneJpeg(1600, 1200, 6); // stored sideways, shown upright: 1200x1600
    const input = await sharp(photo).metadata();
    expect(hasGpsPointer(input.exif)).toBe(true);
    expect(photo.includes(Buffer.from('PhoneCo'))).toBe(true);

    const res = await multipart({ bytes: photo, name: 'IMG_0001.jpg', type: 'image/jpeg' }).expect(201);
    expect(res.body.imageVariants).toEqual([
      { width: 320, height: 427, url: expect.stringMatching(/-w320\.webp$/) },
      { width: 640, height: 853, url: expect.stringMatching(/-w640\.webp$/) },
      { width: 1200, height: 1600, url: expect.stringMatching(/-w1200\.webp$/) },
    ]);
    for (const url of filesOf(res.body)) {
      const served = await request(t.app).get(uploadPath(url)).buffer(true).expect(200);
      const bytes = served.body as Buffer;
      const meta = await sharp(bytes).metadata();
      expect({ url, exif: meta.exif, xmp: meta.xmp, iptc: meta.iptc, orientation: meta.orientation }).toEqual({
        url,
        exif: undefined,
        xmp: undefined,
        iptc: undefined,
        orientation: undefined,
      });
      expect(bytes.includes(Buffer.from('PhoneCo'))).toBe(false);
      if (url.endsWith('.webp')) expect(served.headers['content-type']).toBe('image/webp');
    }
    const original = await sharp((await request(t.app).get(uploadPath(res.body.image)).buffer(true)).body as Buffer).metadata();
    expect([original.width, original.height]).toEqual([1200, 1600]);
  });

  test('a 700 px image gets the variants that fit (320, 640) and none upscaled', async () => {
    const res = await multipart({ bytes: await pngImage(700, 350), name: 'wide.png' }).expect(201);
    expect(res.body.imageVariants.map((v: { width: number }) => v.width)).toEqual([320, 640]);
  });

  test('the link preview is a JPEG of 1200x630 within 300 KB, even for a busy photo', async () => {
    const noise = await sharp(Buffer.from(Array.from({ length: 1000 * 1000 * 3 }, (_, i) => (i * 2654435761) % 251)), {
      raw: { width: 1000, height: 1000, channels: 3 },
    })
      .jpeg({ quality: 95 })
      .toBuffer();
    const res = await multipart({ bytes: noise, name: 'busy.jpg' }).expect(201);
    const preview = (
      await request(t.app)
        .get(uploadPath(filesOf(res.body).at(-1)!))
        .buffer(true)
        .expect(200)
    ).body as Buffer;
    const meta = await sharp(preview).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1200, 630]);
    expect(preview.length).toBeLessThanOrEqual(300 * 1024);
  });

  test('an image over 40 megapixels is 413 before it is decoded, whatever its byte size; nothing is stored', async () => {
    const before = await storedFiles();
    // A PNG header claiming 8000x5001 (40.008 MP) with almost no data: refused on the header alone.
    const huge = pngBytes(1, 1);
    huge.writeUInt32BE(8000, 16);
    huge.writeUInt32BE(5001, 20);
    const res = await multipart({ bytes: huge, name: 'huge.png' }, { name: 'Too Many Pixels' });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    // A real one, 6400x6400 of one colour: a few KB, 41 MP.
    const real = await sharp({ create: { width: 6400, height: 6400, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    expect(real.length).toBeLessThan(1_000_000);
    expect((await multipart({ bytes: real, name: 'real.png' }, { name: 'Too Many Pixels' })).status).toBe(413);
    expect(await storedFiles()).toBe(before);
  });

  test.each([
    ['JPEG', () => jpegBytes(), 'jpg', 'image/jpeg'],
    ['WebP', async () => WEBP_BYTES, 'webp', 'image/webp'],
  ])('%s is accepted by content, even with a misleading file name', async (_n, bytes, ext, mime) => {
    const res = await multipart({ bytes: await bytes(), name: 'document.txt', type: 'text/plain' });
    expect(res.status).toBe(201);
    expect(res.body.image).toMatch(new RegExp(`\\.${ext}$`));
    const served = await request(t.app).get(uploadPath(res.body.image)).expect(200);
    expect(served.headers['content-type']).toBe(mime);
  });

  test('when a non-image, a GIF or a truncated JPEG is sent, then 415 and nothing is created or stored', async () => {
    const before = await storedFiles();
    const res = await multipart({ bytes: Buffer.from('<?php system($_GET["c"]); ?>'), name: 'evil.png', type: 'image/png' });
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const gif = await multipart({ bytes: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'binary'), name: 'a.gif', type: 'image/gif' });
    expect(gif.status).toBe(415);
    const jpeg = await jpegBytes(200, 200);
    const truncated = await multipart({ bytes: jpeg.subarray(0, jpeg.length / 2), name: 'cut.jpg' });
    expect(truncated.status).toBe(415);
    expect(await storedFiles()).toBe(before);
  });

  test('when the file is over 5 MB, then 413 and nothing is created', async () => {
    const big = Buffer.concat([pngBytes(), Buffer.alloc(5_000_001)]);
    const res = await multipart({ bytes: big, name: 'big.png', type: 'image/png' }, { name: 'Too Big' });
    expect(res.status).toBe(413);
    const list = await request(t.app)
      .get(`${path_()}?q=Too%20Big`)
      .set(...auth(seller.token))
      .expect(200);
    expect(list.body.total).toBe(0);
  });

  test('when the form is invalid, then 400 and the uploaded image is not kept', async () => {
    const before = await storedFiles();
    const res = await multipart({ bytes: pngBytes(), name: 'p.png' }, { salePrice: '999' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('salePrice');
    expect(await storedFiles()).toBe(before);
  });

  test('a body that claims multipart but is not is 400, not 500', async () => {
    for (const body of ['[]', '--x\r\nbroken', '']) {
      const res = await request(t.app)
        .post(path_())
        .set(...auth(seller.token))
        .set('Content-Type', 'multipart/form-data; boundary=x')
        .send(body);
      expect(res.status).toBe(400);
    }
  });

  test('a file under another field name is 400', async () => {
    const res = await request(t.app)
      .post(path_())
      .set(...auth(seller.token))
      .field('name', 'x')
      .attach('photo', pngBytes(), 'p.png');
    expect(res.status).toBe(400);
  });

  test('a form field given twice is 400 "must be given once", and nothing is created', async () => {
    const res = await request(t.app)
      .post(path_())
      .set(...auth(seller.token))
      .field('name', 'One')
      .field('name', 'Two')
      .field('mrp', '10')
      .field('salePrice', '9')
      .field('category', 'Twice');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'name', message: 'must be given once' }]);
    const listed = await request(t.app)
      .get(`${path_()}?category=Twice`)
      .set(...auth(seller.token))
      .expect(200);
    expect(listed.body.total).toBe(0);
  });

  test('multipart without an image creates a product with image null; empty stock means unlimited', async () => {
    const res = await multipart(undefined, { stock: '' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ image: null, stock: null });
  });

  test('PATCH with a new image replaces it (every old file is removed); JSON image null removes it', async () => {
    const created = await multipart({ bytes: pngBytes(), name: 'a.png' });
    const first = filesOf(created.body);
    const url = `${path_()}/${created.body.id}`;
    const replaced = await request(t.app)
      .patch(url)
      .set(...auth(seller.token))
      .field('salePrice', '150')
      .attach('image', await jpegBytes(), 'b.jpg');
    expect(replaced.status).toBe(200);
    expect(replaced.body.image).toMatch(/\.jpg$/);
    expect(replaced.body.salePrice).toBe(150);
    for (const old of first) expect((await request(t.app).get(uploadPath(old))).status).toBe(404);
    for (const now of filesOf(replaced.body)) await request(t.app).get(uploadPath(now)).expect(200);

    const removed = await request(t.app)
      .patch(url)
      .set(...auth(seller.token))
      .send({ image: null })
      .expect(200);
    expect(removed.body).toMatchObject({ image: null, imageVariants: null });
    for (const old of filesOf(replaced.body)) expect((await request(t.app).get(uploadPath(old))).status).toBe(404);
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
    expect(p.imageVariants).toBeNull();
  });
});

describe('images across instances', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    [a, b] = await buildTwoInstances('images');
  });
  afterAll(() => Promise.all([a.close(), b.close()]));

  test('an image stored through one instance is served by the other, every file of it', async () => {
    const seller = await newSeller(a.app);
    const store = await newStore(a.app, seller);
    const res = await request(a.app)
      .post(`/api/v1/seller/stores/${store.id}/products`)
      .set(...auth(seller.token))
      .field('name', 'Shared')
      .field('mrp', '10')
      .field('salePrice', '9')
      .field('category', 'Photos')
      .attach('image', await phoneJpeg(1300, 900), 'p.jpg')
      .expect(201);
    for (const url of filesOf(res.body)) {
      const served = await request(b.app).get(new URL(url).pathname).buffer(true).expect(200);
      expect((served.body as Buffer).length).toBeGreaterThan(0);
    }
  });
});

describe('backfill of uploads kept on disk by earlier versions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  test('a product whose image is only in UPLOAD_DIR gets variants and a preview, keeps its URL, and a second run does nothing', async () => {
    const seller = await newSeller(t.app);
    const store = await newStore(t.app, seller);
    const product = await newProduct(t.app, seller, store);
    // As an earlier version left it: a file on the instance's disk and its name in the row.
    const name = `${'ab'.repeat(16)}.jpg`;
    const legacy = path.join(t.container.config.uploadDir, name);
    await mkdir(t.container.config.uploadDir, { recursive: true });
    await writeFile(legacy, await phoneJpeg(900, 700));
    await t.container.db.product.update({ where: { id: product.id }, data: { image: name } });
    const before = await request(t.app).get(`/uploads/${name}`).buffer(true).expect(200);
    expect((before.body as Buffer).includes(Buffer.from('PhoneCo'))).toBe(true);

    const backfill = new ImageBackfill(t.container.db, t.container.images, pino({ level: 'silent' }));
    const first = await backfill.run();
    expect(first.done).toBeGreaterThanOrEqual(1);
    expect(first.failed.filter((f) => f.productId === product.id)).toEqual([]);

    const after = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}/products/${product.id}`)
      .set(...auth(seller.token))
      .expect(200);
    expect(after.body.image).toBe(`http://shop.test/uploads/${name}`);
    expect(after.body.imageVariants.map((v: { width: number }) => v.width)).toEqual([320, 640]);
    const served = await request(t.app).get(`/uploads/${name}`).buffer(true).expect(200);
    expect((served.body as Buffer).includes(Buffer.from('PhoneCo'))).toBe(false);
    await expect(access(legacy)).rejects.toThrow();

    const again = await backfill.run();
    expect(again.done).toBe(0);
  });

  test('an upload missing from the disk is reported, and the product keeps its image as it was', async () => {
    const seller = await newSeller(t.app);
    const store = await newStore(t.app, seller);
    const product = await newProduct(t.app, seller, store);
    const name = `${'cd'.repeat(16)}.png`;
    await t.container.db.product.update({ where: { id: product.id }, data: { image: name } });
    const result = await new ImageBackfill(t.container.db, t.container.images, pino({ level: 'silent' })).run();
    expect(result.failed).toContainEqual({ productId: product.id, image: name, reason: expect.stringMatching(/not in UPLOAD_DIR/) });
    const row = await t.container.db.product.findUniqueOrThrow({ where: { id: product.id } });
    expect([row.image, row.imageVariants]).toEqual([name, null]);
  });
});
