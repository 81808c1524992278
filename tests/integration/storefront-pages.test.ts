// The store link's pages as a crawler and a plain HTTP client see them: no JavaScript. The buyer's
// flow in a real browser is tests/browser/storefront.test.ts.
import sharp from 'sharp';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { auth, newProduct, newSeller, newStore, type Seller, type StoreRef } from '../helpers/factories';
import { phoneJpeg } from '../helpers/images';

/** The `<head>` meta tags of a page, by property or name (what a link-preview crawler reads). */
function metaTags(html: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [, key, content] of html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)">/g)) tags[key!] = unescape(content!);
  return tags;
}

function unescape(text: string): string {
  return text
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const CRAWLERS = ['facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)', 'WhatsApp/2.23.20.0'];

describe('storefront pages', () => {
  let t: TestApp;
  let seller: Seller;
  let store: StoreRef;
  let pictured: { id: string; name: string; image: string };
  beforeAll(async () => {
    t = await buildTestApp();
    seller = await newSeller(t.app);
    store = await newStore(t.app, seller, { name: 'Ramesh Kirana', address: '12 MG Road, Bengaluru' });
    await newProduct(t.app, seller, store, { name: 'Toor Dal 1kg', category: 'Pulses', mrp: 199, salePrice: 179.5, stock: 0 });
    await newProduct(t.app, seller, store, { name: 'Gold Coin', category: 'Jewellery', mrp: 123456.75, salePrice: 123456.75 });
    const res = await request(t.app)
      .post(`/api/v1/seller/stores/${store.id}/products`)
      .set(...auth(seller.token))
      .field('name', 'Basmati Rice 5kg')
      .field('description', 'Aged two years. Long grain.')
      .field('mrp', '1499')
      .field('salePrice', '1299.5')
      .field('category', 'Grains')
      .field('stock', '3')
      .attach('image', await phoneJpeg(1600, 1200), 'rice.jpg')
      .expect(201);
    pictured = res.body;
  });
  afterAll(() => t.close());

  test.each(CRAWLERS)('the store page gives a link preview every tag the contract lists (%s)', async (agent) => {
    const res = await request(t.app).get(`/${store.slug}`).set('User-Agent', agent).expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.text;
    const tags = metaTags(html);
    expect(html).toMatch(/<title>Ramesh Kirana<\/title>/);
    expect(html).toContain(`<link rel="canonical" href="${store.link}">`);
    expect(tags).toMatchObject({
      description: expect.stringContaining('Ramesh Kirana'),
      'og:title': 'Ramesh Kirana',
      'og:description': expect.stringContaining('12 MG Road'),
      'og:url': store.link,
      'og:type': 'website',
      'og:image': expect.stringMatching(/^http:\/\/shop\.test\/uploads\/[0-9a-f]{32}-og\.jpg$/),
      'og:image:width': '1200',
      'og:image:height': '630',
      'twitter:card': 'summary_large_image',
    });
    await expectPreviewImage(tags['og:image']!);
  });

  test.each(CRAWLERS)('a product page gives its own preview: og:type product with its price in INR (%s)', async (agent) => {
    const res = await request(t.app).get(`/${store.slug}/products/${pictured.id}`).set('User-Agent', agent).expect(200);
    const tags = metaTags(res.text);
    const url = `${store.link}/products/${pictured.id}`;
    expect(res.text).toMatch(/<title>Basmati Rice 5kg · Ramesh Kirana<\/title>/);
    expect(res.text).toContain(`<link rel="canonical" href="${url}">`);
    expect(tags).toMatchObject({
      description: '₹1,299.50. Aged two years. Long grain.',
      'og:title': 'Basmati Rice 5kg · Ramesh Kirana',
      'og:description': '₹1,299.50. Aged two years. Long grain.',
      'og:url': url,
      'og:type': 'product',
      'product:price:amount': '1299.50',
      'product:price:currency': 'INR',
      'og:image': pictured.image.replace(/\.jpg$/, '-og.jpg'),
      'og:image:width': '1200',
      'og:image:height': '630',
      'twitter:card': 'summary_large_image',
    });
    await expectPreviewImage(tags['og:image']!);
  });

  /** og:image: absolute, reachable, a JPEG of at most 300 KB and at least 600x315. */
  async function expectPreviewImage(url: string) {
    expect(url).toMatch(/^https?:\/\//);
    const image = await request(t.app).get(new URL(url).pathname).buffer(true).expect(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    const bytes = image.body as Buffer;
    expect(bytes.length).toBeLessThanOrEqual(300 * 1024);
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.width).toBeGreaterThanOrEqual(600);
    expect(meta.height).toBeGreaterThanOrEqual(315);
  }

  test('the store page shows every product, its prices in rupees with Indian grouping, MRP struck through, and "Out of stock"', async () => {
    const html = (await request(t.app).get(`/${store.slug}`).expect(200)).text;
    expect(html).toContain('Toor Dal 1kg');
    expect(html).toContain('₹1,23,456.75');
    expect(html).toMatch(/<b class="sale">₹1,299.50<\/b> <s class="mrp"><span class="sr">MRP <\/span>₹1,499.00<\/s>/);
    // Sale price equal to MRP: no struck MRP.
    expect(html).not.toContain('<s class="mrp"><span class="sr">MRP </span>₹1,23,456.75</s>');
    expect(html).toMatch(/<p class="oos">Out of stock<\/p>/);
    // Images in srcset from our own origin, loaded lazily.
    expect(html).toMatch(
      /srcset="\/uploads\/[0-9a-f]{32}-w320\.webp 320w, \/uploads\/[0-9a-f]{32}-w640\.webp 640w, \/uploads\/[0-9a-f]{32}-w1200\.webp 1200w"/,
    );
    expect(html).toMatch(/loading="lazy"/);
    // Nothing from another origin: every src and href is a path, or the store's own link.
    for (const [, attr] of html.matchAll(/(?:src|href)="([^"]+)"/g)) expect(attr).toMatch(/^(\/|#|data:|http:\/\/shop\.test\/)/);
  });

  test('pages revalidate with ETag: 304 while nothing changed, a new page at once after a seller change', async () => {
    const first = await request(t.app).get(`/${store.slug}`).expect(200);
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^"/);
    await request(t.app).get(`/${store.slug}`).set('If-None-Match', etag).expect(304);
    await newProduct(t.app, seller, store, { name: 'Fresh Jaggery', category: 'Sweets' });
    const changed = await request(t.app).get(`/${store.slug}`).set('If-None-Match', etag).expect(200);
    expect(changed.text).toContain('Fresh Jaggery');
    expect(changed.headers.etag).not.toBe(etag);
    const product = await request(t.app).get(`/${store.slug}/products/${pictured.id}`).expect(200);
    await request(t.app).get(`/${store.slug}/products/${pictured.id}`).set('If-None-Match', product.headers.etag!).expect(304);
  });

  test('a quiet store page costs no PostgreSQL query', async () => {
    await request(t.app).get(`/${store.slug}`).expect(200);
    const queries = jest.spyOn(t.container.db, '$queryRaw');
    const finds = jest.spyOn(t.container.db.product, 'findMany');
    const stores = jest.spyOn(t.container.db.store, 'findUnique');
    for (let i = 0; i < 5; i++) await request(t.app).get(`/${store.slug}`).expect(200);
    await request(t.app).get(`/${store.slug}/cart`).expect(200);
    expect([queries.mock.calls.length, finds.mock.calls.length, stores.mock.calls.length]).toEqual([0, 0, 0]);
  });

  test('unknown stores and products are HTML 404 pages; paths that cannot be a store stay JSON', async () => {
    for (const path of [
      '/no-such-store',
      `/no-such-store/products/${pictured.id}`,
      `/${store.slug}/products/0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5f`,
      `/${store.slug}/products/not-an-id`,
      `/${store.slug}/orders/x`,
    ]) {
      const res = await request(t.app).get(path);
      expect({ path, status: res.status, type: res.headers['content-type'] }).toEqual({
        path,
        status: 404,
        type: 'text/html; charset=utf-8',
      });
      expect(res.text).toContain('Page not found');
    }
    for (const path of ['/api', '/favicon.ico', '/Has_Underscore', '/uploads/x']) {
      const res = await request(t.app).get(path);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  test('a hidden product has no page', async () => {
    const hidden = await newProduct(t.app, seller, store, { name: 'Secret Stock', active: false });
    expect((await request(t.app).get(`/${store.slug}/products/${hidden.id}`)).status).toBe(404);
  });

  test('a link typed with capitals opens the store; the canonical URL is the lower-case link', async () => {
    const res = await request(t.app).get(`/${store.slug.toUpperCase()}`).expect(200);
    expect(res.text).toContain(`<link rel="canonical" href="${store.link}">`);
  });

  test('the cart, checkout and order pages are the store frame (for the script), never indexed, with no personal data', async () => {
    for (const path of ['cart', 'checkout', `orders/${pictured.id}`]) {
      const res = await request(t.app).get(`/${store.slug}/${path}`).expect(200);
      expect(res.text).toContain('<meta name="robots" content="noindex">');
      expect(res.text).toContain('<script src="/assets/storefront.js?v=');
    }
    const checkout = (await request(t.app).get(`/${store.slug}/checkout`)).text;
    expect(checkout).toMatch(/<input id="mobile" name="mobile" type="tel" inputmode="tel" autocomplete="tel"/);
    expect(checkout).toMatch(/<input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code"/);
  });

  test('the script and stylesheet are served from this origin, versioned and kept for a year; pages forbid other origins', async () => {
    const page = await request(t.app).get(`/${store.slug}`);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const css = /href="(\/assets\/storefront\.css\?v=[^"]+)"/.exec(page.text)![1]!;
    const js = /src="(\/assets\/storefront\.js\?v=[^"]+)"/.exec(page.text)![1]!;
    const served = await request(t.app).get(js).expect(200);
    expect(served.headers['content-type']).toMatch(/javascript/);
    expect(served.headers['cache-control']).toMatch(/max-age=31536000/);
    await request(t.app).get(css).expect(200);
    expect((await request(t.app).get('/assets/nope.js')).status).toBe(404);
  });
});

describe('storefront pages: hostile seller text', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  test.each(['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'])(
    'a store and product named %s render as text on every page',
    async (name) => {
      const seller = await newSeller(t.app);
      const store = await newStore(t.app, seller, { name, address: `${name} Road` });
      const product = await newProduct(t.app, seller, store, { name, description: name, category: name });
      for (const path of ['', `/products/${product.id}`, '/cart', '/checkout', `/orders/${product.id}`]) {
        const html = (await request(t.app).get(`/${store.slug}${path}`).expect(200)).text;
        expect(html).not.toContain(name);
        expect(html).not.toMatch(/<script>alert|<img src=x/);
        expect(html).toContain(name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'));
      }
    },
  );
});
