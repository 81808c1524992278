// The contract's abuse limits (API.md, "Abuse limits"), each through HTTP: the refusal, and that
// use below the limit is untouched.
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import request from 'supertest';
import { prepareImage } from '../../src/services/images/image-processor';
import type { SmsProvider } from '../../src/services/sms/sms-provider';
import { buildTestApp, type TestApp } from '../helpers/app';
import { ADDRESS, addToCart, auth, newCart, newCustomer, newProduct, newSeller, newStore, randomMobile } from '../helpers/factories';

describe('sign-in per client address (AUTH_RATE_LIMIT_PER_IP=3)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // One proxy hop trusted: X-Forwarded-For names the client, as behind a load balancer.
    t = await buildTestApp({ AUTH_RATE_LIMIT_PER_IP: '3', TRUST_PROXY: '1' });
  });
  afterAll(() => t.close());
  const signIn = (path: string, ip: string) =>
    request(t.app).post(`/api/v1/${path}`).set('X-Forwarded-For', ip).send({ mobile: randomMobile(), otp: '1234' });

  test('three sign-ins pass, the fourth from the same address is 429 with Retry-After, sellers and customers alike', async () => {
    expect((await signIn('seller/auth', '203.0.113.10')).status).toBe(201);
    expect((await signIn('customer/auth', '203.0.113.10')).status).toBe(201);
    expect((await signIn('seller/auth', '203.0.113.10')).status).toBe(201);
    const refused = await signIn('customer/auth', '203.0.113.10');
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(900);
    // Another address is not affected.
    expect((await signIn('seller/auth', '203.0.113.11')).status).toBe(201);
  });
});

describe('without TRUST_PROXY, X-Forwarded-For is not believed', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Its own Redis prefix: other test files sign in from 127.0.0.1 too, into the shared counter.
    t = await buildTestApp({ AUTH_RATE_LIMIT_PER_IP: '2', REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}no-proxy:` });
  });
  afterAll(() => t.close());

  test('a client that sends a new X-Forwarded-For with every request is still one address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await request(t.app)
        .post('/api/v1/seller/auth')
        .set('X-Forwarded-For', `198.51.100.${i}`)
        .send({ mobile: randomMobile(), otp: '1234' });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 429]);
  });
});

describe('wrong OTPs per mobile across codes (OTP_MODE=sms, OTP_WRONG_PER_MOBILE=3)', () => {
  const sent: Array<{ to: string; text: string }> = [];
  const sms: SmsProvider = { name: 'recording', send: async (to, text) => void sent.push({ to, text }) };
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ OTP_MODE: 'sms', OTP_WRONG_PER_MOBILE: '3' }, { sms });
  });
  afterAll(() => t.close());
  async function requestCode(mobile: string): Promise<string> {
    await request(t.app).post('/api/v1/seller/auth/otp').send({ mobile }).expect(202);
    return /\b(\d{6})\b/.exec(sent.filter((m) => m.to === `+91${mobile}`).at(-1)!.text)![1]!;
  }
  const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');

  test('a new code does not give new guesses: after three wrong tries in all, even the right code is 429', async () => {
    const mobile = randomMobile();
    const first = await requestCode(mobile);
    for (let i = 0; i < 2; i++)
      await request(t.app)
        .post('/api/v1/seller/auth')
        .send({ mobile, otp: wrongFor(first) })
        .expect(401);
    const second = await requestCode(mobile);
    await request(t.app)
      .post('/api/v1/seller/auth')
      .send({ mobile, otp: wrongFor(second) })
      .expect(401);
    const third = await requestCode(mobile);
    const refused = await request(t.app).post('/api/v1/seller/auth').send({ mobile, otp: third });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
  });

  test('below the budget, the right code still signs in; another mobile has its own budget', async () => {
    const mobile = randomMobile();
    const code = await requestCode(mobile);
    for (let i = 0; i < 2; i++)
      await request(t.app)
        .post('/api/v1/seller/auth')
        .send({ mobile, otp: wrongFor(code) })
        .expect(401);
    expect((await request(t.app).post('/api/v1/seller/auth').send({ mobile, otp: code })).status).toBe(201);
    const other = randomMobile();
    expect(
      (
        await request(t.app)
          .post('/api/v1/seller/auth')
          .send({ mobile: other, otp: await requestCode(other) })
      ).status,
    ).toBe(201);
  });

  test.each([
    ['+979123456789', 'international premium rate'],
    ['+449098790000', 'UK premium rate'],
    ['+881612345678', 'satellite'],
    ['+18002345678', 'US toll-free'],
    ['+911123456789', 'an Indian landline'],
  ])('an OTP for %p (%s) is 400 naming mobile, and no SMS goes out', async (mobile) => {
    const before = sent.length;
    for (const path of ['seller/auth/otp', 'customer/auth/otp']) {
      const res = await request(t.app).post(`/api/v1/${path}`).send({ mobile });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'mobile', message: expect.stringMatching(/^must be a mobile number/) }]);
    }
    expect(sent.length).toBe(before);
  });
});

describe('cart creation per client address (CART_RATE_LIMIT_PER_IP=3)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ CART_RATE_LIMIT_PER_IP: '3', TRUST_PROXY: '1' });
  });
  afterAll(() => t.close());

  test('three new carts a minute pass, the fourth is 429; the carts already made keep working', async () => {
    const seller = await newSeller(t.app);
    const store = await newStore(t.app, seller);
    const rice = await newProduct(t.app, seller, store);
    const create = (ip: string) => request(t.app).post('/api/v1/carts').set('X-Forwarded-For', ip).send({ storeLink: store.slug });
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await create('203.0.113.20').expect(201)).body.id as string);
    const refused = await create('203.0.113.20');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    await addToCart(t.app, made[0]!, store, rice.id, 1).expect(200);
    expect((await create('203.0.113.21')).status).toBe(201);
  });
});

describe('names', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  test.each([
    ['a zero-width space', 'Ramesh\u200BKirana'],
    ['a right-to-left override', 'Ramesh \u202EanariK'],
    ['an ANSI escape', '\u001b[31mRamesh Kirana'],
    ['a tab', 'Ramesh\tKirana'],
    ['a lone surrogate', 'Ramesh \uD800Kirana'],
    ['a byte-order mark', '\uFEFFRamesh Kirana'],
    ['a word joiner', 'Ramesh\u2060Kirana'],
  ])('a store name with %s is 400, and nothing is stored', async (_what, name) => {
    const seller = await newSeller(t.app);
    const res = await request(t.app)
      .post('/api/v1/seller/stores')
      .set(...auth(seller.token))
      .send({ name, address: '1 Road' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('name');
    expect(
      (
        await request(t.app)
          .get('/api/v1/seller/stores')
          .set(...auth(seller.token))
      ).body.total,
    ).toBe(0);
  });

  test('product, category and customer names follow the same rules', async () => {
    const seller = await newSeller(t.app);
    const store = await newStore(t.app, seller);
    const product = (body: object) =>
      request(t.app)
        .post(`/api/v1/seller/stores/${store.id}/products`)
        .set(...auth(seller.token))
        .send({ name: 'Rice', mrp: 10, salePrice: 9, category: 'Grains', ...body });
    expect((await product({ name: 'Rice\u200B' })).body.errors).toEqual([{ path: 'name', message: expect.stringMatching(/invisible/) }]);
    expect((await product({ category: 'Grains\n' })).body.errors[0].path).toBe('category');
    const customer = await newCustomer(t.app);
    const res = await request(t.app)
      .patch('/api/v1/customer/me')
      .set(...auth(customer.token))
      .send({ name: 'Asha\u202E' });
    expect(res.status).toBe(400);
  });

  test('names are stored in NFC; ZWJ and ZWNJ stay (Indic scripts need them); addresses and descriptions keep line breaks', async () => {
    const seller = await newSeller(t.app);
    const decomposed = 'Cafe\u0301 Kirana';
    const hindi = 'क्\u200Dष Stores \u200C';
    const created = await request(t.app)
      .post('/api/v1/seller/stores')
      .set(...auth(seller.token))
      .send({ name: decomposed, address: '12 MG Road\r\nBengaluru' })
      .expect(201);
    expect(created.body.name).toBe('Caf\u00E9 Kirana');
    expect(created.body.address).toBe('12 MG Road\nBengaluru');
    const indic = await request(t.app)
      .post('/api/v1/seller/stores')
      .set(...auth(seller.token))
      .send({ name: hindi, address: '1 Road' })
      .expect(201);
    expect(indic.body.name).toBe(hindi.trim());
    const store = { id: created.body.id as string };
    const described = await request(t.app)
      .post(`/api/v1/seller/stores/${store.id}/products`)
      .set(...auth(seller.token))
      .send({ name: 'Rice', mrp: 10, salePrice: 9, category: 'Grains', description: 'Aged.\nLong grain.' })
      .expect(201);
    expect(described.body.description).toBe('Aged.\nLong grain.');
    const bad = await request(t.app)
      .post(`/api/v1/seller/stores/${store.id}/products`)
      .set(...auth(seller.token))
      .send({ name: 'Rice', mrp: 10, salePrice: 9, category: 'Grains', description: 'Aged.\u0007' });
    expect(bad.body.errors).toEqual([{ path: 'description', message: 'must not contain control characters other than line breaks' }]);
  });
});

describe('validation answers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  test('list at most 20 errors, and say how many there were', async () => {
    const seller = await newSeller(t.app);
    const body = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`field${i}`, i]));
    const res = await request(t.app)
      .post('/api/v1/seller/stores')
      .set(...auth(seller.token))
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(20);
    expect(res.body.detail).toMatch(/The first 20 of 500\d errors are listed/);
    expect(res.text.length).toBeLessThan(4_000);
  });

  test('a request with a few mistakes still lists each', async () => {
    const seller = await newSeller(t.app);
    const res = await request(t.app)
      .post('/api/v1/seller/stores')
      .set(...auth(seller.token))
      .send({ name: '', address: '' });
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['address', 'name']);
    expect(res.body.detail).toBe('The request is not valid.');
  });
});

describe('writes that name a row deleted meanwhile', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  test('a seller token whose account row is gone gets 409 on creating a store, not 500', async () => {
    const seller = await newSeller(t.app);
    await t.container.db.account.delete({ where: { id: seller.id } });
    const res = await request(t.app)
      .post('/api/v1/seller/stores')
      .set(...auth(seller.token))
      .send({ name: 'Gone Kirana', address: '1 Road' });
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/referenced-resource-gone/);
  });

  test('a customer token whose row is gone cannot place an order: 409, no stock taken, the cart kept', async () => {
    const seller = await newSeller(t.app);
    const store = await newStore(t.app, seller);
    const product = await newProduct(t.app, seller, store, { stock: 5 });
    const customer = await newCustomer(t.app);
    const cart = await newCart(t.app, store);
    await addToCart(t.app, cart, store, product.id, 2).expect(200);
    await t.container.db.customer.delete({ where: { id: customer.id } });
    const res = await request(t.app)
      .post('/api/v1/orders')
      .set(...auth(customer.token))
      .send({ cartId: cart, address: ADDRESS });
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/referenced-resource-gone/);
    expect((await t.container.db.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(5);
    expect((await request(t.app).get(`/api/v1/carts/${cart}`).expect(200)).body.itemCount).toBe(2);
  });
});

describe('open orders per customer and store (OPEN_ORDERS_PER_CUSTOMER=10)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ OPEN_ORDERS_PER_CUSTOMER: '10' });
  });
  afterAll(() => t.close());

  test('30 orders of 99 units racing from one customer: 10 are placed, 20 are 409 with nothing written; others still buy', async () => {
    const seller = await newSeller(t.app);
    const store = await newStore(t.app, seller);
    const product = await newProduct(t.app, seller, store, { stock: 3000 });
    const hoarder = await newCustomer(t.app);
    const carts = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const cart = await newCart(t.app, store);
        await addToCart(t.app, cart, store, product.id, 99).expect(200);
        return cart;
      }),
    );
    const answers = await Promise.all(
      carts.map((cartId) =>
        request(t.app)
          .post('/api/v1/orders')
          .set(...auth(hoarder.token))
          .send({ cartId, address: ADDRESS }),
      ),
    );
    expect(answers.filter((r) => r.status === 201)).toHaveLength(10);
    const refused = answers.filter((r) => r.status === 409);
    expect(refused).toHaveLength(20);
    for (const r of refused) expect(r.body.type).toMatch(/too-many-open-orders/);
    expect((await t.container.db.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(3000 - 990);
    expect(await t.container.db.order.count({ where: { customerId: hoarder.id } })).toBe(10);

    // Another customer is not held back; and once the store accepts one, the first may order again.
    const other = await newCustomer(t.app);
    const cart = await newCart(t.app, store);
    await addToCart(t.app, cart, store, product.id, 1).expect(200);
    await request(t.app)
      .post('/api/v1/orders')
      .set(...auth(other.token))
      .send({ cartId: cart, address: ADDRESS })
      .expect(201);
    const placed = answers.find((r) => r.status === 201)!.body;
    await request(t.app)
      .patch(`/api/v1/seller/stores/${store.id}/orders/${placed.id}`)
      .set(...auth(seller.token))
      .send({ status: 'ACCEPTED' })
      .expect(200);
    const again = await newCart(t.app, store);
    await addToCart(t.app, again, store, product.id, 1).expect(200);
    await request(t.app)
      .post('/api/v1/orders')
      .set(...auth(hoarder.token))
      .send({ cartId: again, address: ADDRESS })
      .expect(201);
  });
});

describe('image quota per store (STORE_IMAGE_QUOTA_MB=1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ STORE_IMAGE_QUOTA_MB: '1' });
  });
  afterAll(() => t.close());
  /**
   * A PNG of noise `side` px square: it barely compresses, so what it takes stored (the original,
   * its variants and its preview, measured by the same pipeline) is predictable.
   */
  const noise = (side: number) =>
    sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
      .png()
      .toBuffer();
  const stored = async (png: Buffer) => (await prepareImage(png)).totalBytes;
  const MiB = 1024 * 1024;
  const create = (seller: { token: string }, store: { id: string }, png: Buffer) =>
    request(t.app)
      .post(`/api/v1/seller/stores/${store.id}/products`)
      .set(...auth(seller.token))
      .field('name', 'Pictured')
      .field('mrp', '10')
      .field('salePrice', '9')
      .field('category', 'Photos')
      .attach('image', png, { filename: 'p.png', contentType: 'image/png' });

  test('uploads within the quota pass; one beyond is 409 with nothing written; a replaced image frees its room; stores are apart', async () => {
    const seller = await newSeller(t.app);
    const store = await newStore(t.app, seller);
    const big = await noise(350);
    const smaller = await noise(300);
    // Each takes over half of the 1 MiB quota once stored; the smaller one still more than 450 KiB.
    expect(await stored(big)).toBeGreaterThan(MiB / 2);
    expect(await stored(smaller)).toBeGreaterThan(450 * 1024);
    const first = (await create(seller, store, big).expect(201)).body;
    const refused = await create(seller, store, big);
    expect(refused.status).toBe(409);
    expect(refused.body.type).toMatch(/image-quota-exceeded/);
    const list = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}/products`)
      .set(...auth(seller.token));
    expect(list.body.total).toBe(1);
    // Products without images are not held back.
    await newProduct(t.app, seller, store);
    // Replacing the image counts the new one instead of the old.
    await request(t.app)
      .patch(`/api/v1/seller/stores/${store.id}/products/${first.id}`)
      .set(...auth(seller.token))
      .attach('image', smaller, { filename: 'p.png', contentType: 'image/png' })
      .expect(200);
    const other = await newStore(t.app, seller);
    expect((await create(seller, other, big)).status).toBe(201);
  });

  test('four uploads racing into an empty store, each over a third of the quota: exactly two fit', async () => {
    const seller = await newSeller(t.app);
    const store = await newStore(t.app, seller);
    const png = await noise(250);
    const size = await stored(png);
    expect(size).toBeGreaterThan(MiB / 3);
    expect(size).toBeLessThanOrEqual(MiB / 2);
    const answers = await Promise.all([0, 1, 2, 3].map(() => create(seller, store, png)));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 201, 409, 409]);
  });
});
