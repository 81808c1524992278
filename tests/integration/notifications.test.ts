import request from 'supertest';
import { orderRef } from '../../src/services/notification.service';
import { buildTestApp } from '../helpers/app';
import { addStaff, auth, filledCart, newCustomer, newProduct, newSeller, newStore, placeOrder, randomMobile } from '../helpers/factories';
import { FakeSmsGateway } from '../helpers/fake-sms-gateway';
import { appWithGateway, queueSettled, relayed, type BackgroundApp } from '../helpers/sms-app';

describe('SMS notifications through the queue', () => {
  let gateway: FakeSmsGateway;
  let t: BackgroundApp;
  beforeAll(async () => {
    gateway = new FakeSmsGateway();
    t = await appWithGateway(await gateway.start());
  });
  afterAll(async () => {
    await t.close();
    await gateway.stop();
  });

  async function shop() {
    const seller = await newSeller(t.app);
    const store = await newStore(t.app, seller, { name: 'Gupta Stores' });
    const product = await newProduct(t.app, seller, store, { mrp: 25, salePrice: 19.99 });
    return { seller, store, product };
  }

  test('when an order is placed, then the customer and the seller each get an SMS with the right text and number', async () => {
    const { seller, store, product } = await shop();
    const customer = await newCustomer(t.app);
    const order = (await placeOrder(t.app, customer, await filledCart(t.app, store, [[product.id, 3]])).expect(201)).body;
    await gateway.until((d) => d.some((m) => m.to === customer.mobile) && d.some((m) => m.to === seller.mobile));
    const toCustomer = gateway.delivered.find((m) => m.to === customer.mobile)!;
    const toSeller = gateway.delivered.find((m) => m.to === seller.mobile)!;
    expect(toCustomer.message).toBe(
      `Dukaan: your order ${orderRef(order.id)} at "Gupta Stores" is placed: 3 items, Rs 59.97. We will tell you when the store accepts it.`,
    );
    expect(toSeller.message).toBe(`Dukaan: new order ${orderRef(order.id)} at "Gupta Stores": 3 items, Rs 59.97, from ${customer.mobile}.`);
    expect(toCustomer).toMatchObject({ apiKey: 'test-api-key', username: 'dukaan', from: 'DUKAAN' });
  });

  test('seller text in an SMS is quoted and cut to 40 characters, so a store name cannot speak as the platform', async () => {
    const seller = await newSeller(t.app);
    const long = 'Kirana. Dukaan ALERT: payment failed, pay Rs 1 at http://pay.example to keep your order';
    const store = await newStore(t.app, seller, { name: long });
    const product = await newProduct(t.app, seller, store, { mrp: 90, salePrice: 90 });
    const customer = await newCustomer(t.app);
    const order = (await placeOrder(t.app, customer, await filledCart(t.app, store, [[product.id, 1]])).expect(201)).body;
    await gateway.until((d) => d.some((m) => m.to === customer.mobile));
    const text = gateway.delivered.find((m) => m.to === customer.mobile)!.message;
    expect(text).toBe(
      `Dukaan: your order ${orderRef(order.id)} at "${long.slice(0, 39)}…" is placed: 1 item, Rs 90.00. We will tell you when the store accepts it.`,
    );
    expect(text).not.toContain('http://');
  });

  test('a store name with a line break (the SMS injection) is refused, and a rename cannot bring one in', async () => {
    const seller = await newSeller(t.app);
    const injected = 'Kirana.\n\nDukaan ALERT: payment failed. Pay Rs 1 at http://pay.example';
    const created = await request(t.app)
      .post('/api/v1/seller/stores')
      .set(...auth(seller.token))
      .send({ name: injected, address: '1 Road' });
    expect(created.status).toBe(400);
    expect(created.body.errors).toEqual([{ path: 'name', message: expect.stringMatching(/control characters/) }]);
    const store = await newStore(t.app, seller, { name: 'Plain Kirana' });
    const renamed = await request(t.app)
      .patch(`/api/v1/seller/stores/${store.id}`)
      .set(...auth(seller.token))
      .send({ name: injected });
    expect(renamed.status).toBe(400);
  });

  test.each([
    [['ACCEPTED'], 'has been accepted by'],
    [['REJECTED'], 'could not be taken by'],
    [['ACCEPTED', 'SHIPPED'], 'has been shipped by'],
    [['ACCEPTED', 'SHIPPED', 'DELIVERED'], 'has been delivered by'],
  ])('when the seller moves an order through %p, then the customer is told (%s)', async (steps, words) => {
    const { seller, store, product } = await shop();
    const customer = await newCustomer(t.app);
    const order = (await placeOrder(t.app, customer, await filledCart(t.app, store, [[product.id, 1]])).expect(201)).body;
    for (const status of steps) {
      await request(t.app)
        .patch(`/api/v1/seller/stores/${store.id}/orders/${order.id}`)
        .set(...auth(seller.token))
        .send({ status })
        .expect(200);
    }
    const expected = `Dukaan: your order ${orderRef(order.id)} ${words} "Gupta Stores".`;
    await gateway.until((d) => d.some((m) => m.to === customer.mobile && m.message === expected));
  });

  test('a customer cancelling their own order gets no SMS about it', async () => {
    const { store, product } = await shop();
    const customer = await newCustomer(t.app);
    const order = (await placeOrder(t.app, customer, await filledCart(t.app, store, [[product.id, 1]])).expect(201)).body;
    await request(t.app)
      .post(`/api/v1/orders/${order.id}/cancel`)
      .set(...auth(customer.token))
      .expect(200);
    // Everything enqueued so far has been through the worker.
    await queueSettled(t);
    expect(gateway.delivered.filter((m) => m.to === customer.mobile).map((m) => m.message)).toEqual([expect.stringMatching(/is placed/)]);
  });

  test('when the gateway fails twice, then the third try delivers', async () => {
    const { store, product } = await shop();
    const customer = await newCustomer(t.app);
    gateway.failFirst.set(customer.mobile, 2);
    await placeOrder(t.app, customer, await filledCart(t.app, store, [[product.id, 1]])).expect(201);
    await gateway.until((d) => d.some((m) => m.to === customer.mobile));
    expect(gateway.attempts.get(customer.mobile)).toBe(3);
    expect(gateway.delivered.filter((m) => m.to === customer.mobile)).toHaveLength(1);
  });

  test('one order’s messages travel together but fail alone: a retry resends only the one that failed', async () => {
    const { seller, store, product } = await shop();
    const staffMobile = randomMobile();
    await addStaff(t.app, seller, store, staffMobile, ['orders']);
    const customer = await newCustomer(t.app);
    gateway.failFirst.set(seller.mobile, 2);
    await placeOrder(t.app, customer, await filledCart(t.app, store, [[product.id, 1]])).expect(201);
    await gateway.until((d) => d.some((m) => m.to === seller.mobile));
    await queueSettled(t);
    // The owner's message failed twice and went on the third try; the customer's and the staff
    // member's went on the first, and the retries did not send them again.
    expect(gateway.attempts.get(seller.mobile)).toBe(3);
    expect(gateway.attempts.get(customer.mobile)).toBe(1);
    expect(gateway.delivered.filter((m) => m.to === `+91${staffMobile}` && /new order/.test(m.message))).toHaveLength(1);
    for (const to of [seller.mobile, customer.mobile]) expect(gateway.delivered.filter((m) => m.to === to)).toHaveLength(1);
  });

  test('a job queued by an earlier version (one message, no list) is still sent', async () => {
    const to = `+91${randomMobile()}`;
    await t.container.smsQueue.queue.add('sms', { to, text: 'Dukaan: queued before the upgrade.' } as never);
    await gateway.until((d) => d.some((m) => m.to === to));
    expect(gateway.delivered.filter((m) => m.to === to).map((m) => m.message)).toEqual(['Dukaan: queued before the upgrade.']);
  });

  test('OTP_MODE=sms sends OTPs through the same provider, directly (no queue)', async () => {
    const sms = await buildTestApp({
      OTP_MODE: 'sms',
      SMS_PROVIDER: 'http',
      SMS_HTTP_URL: t.container.config.sms.http.url!,
      SMS_HTTP_API_KEY: 'k',
    });
    try {
      const mobile = randomMobile();
      await request(sms.app).post('/api/v1/customer/auth/otp').send({ mobile }).expect(202);
      // Sent before the 202 (no worker involved): already at the gateway.
      const message = gateway.delivered.find((m) => m.to === `+91${mobile}`);
      expect(message?.message).toMatch(/^\d{6} is your Dukaan verification code/);
      const code = /^(\d{6})/.exec(message!.message)![1];
      expect((await request(sms.app).post('/api/v1/customer/auth').send({ mobile, otp: code })).status).toBe(201);
    } finally {
      await sms.close();
    }
  });
});

describe('when the SMS gateway is down or hangs', () => {
  test('a refusing gateway: orders still succeed, and the messages wait in the queue for retries', async () => {
    // Port 1 on loopback: connections are refused at once.
    const t = await appWithGateway('http://127.0.0.1:1/version1/messaging', { SMS_BACKOFF_MS: '60000' });
    try {
      const seller = await newSeller(t.app);
      const store = await newStore(t.app, seller);
      const product = await newProduct(t.app, seller, store);
      const customer = await newCustomer(t.app);
      const res = await placeOrder(t.app, customer, await filledCart(t.app, store, [[product.id, 1]]));
      expect(res.status).toBe(201);
      // The order's events are relayed into the queue...
      await relayed(t);
      const queue = t.container.smsQueue.queue;
      // ...and the order's two messages (one job) were tried once, failed, and wait for their next try (bounded wait).
      for (let i = 0; i < 250 && ((await queue.getJobCounts('delayed')).delayed ?? 0) < 1; i++) await new Promise((r) => setTimeout(r, 20));
      const delayed = await queue.getJobs(['delayed']);
      expect(delayed).toHaveLength(1);
      expect(delayed[0]!.attemptsMade).toBeGreaterThanOrEqual(1);
      expect(delayed[0]!.data).toEqual({
        messages: [expect.objectContaining({ to: customer.mobile }), expect.objectContaining({ to: seller.mobile })],
      });
    } finally {
      await t.close();
    }
  });

  test('a hung gateway: the order is answered while the gateway still holds the SMS request open', async () => {
    const gateway = new FakeSmsGateway();
    gateway.hang = true;
    const t = await appWithGateway(await gateway.start(), { SMS_HTTP_TIMEOUT_MS: '30000' });
    try {
      const seller = await newSeller(t.app);
      const store = await newStore(t.app, seller);
      const product = await newProduct(t.app, seller, store);
      const customer = await newCustomer(t.app);
      const first = await placeOrder(t.app, customer, await filledCart(t.app, store, [[product.id, 1]]));
      expect(first.status).toBe(201);
      // The worker is stuck on the gateway...
      await new Promise<void>((resolve) => {
        const tick = () => (gateway.held_count() > 0 ? resolve() : setTimeout(tick, 10));
        tick();
      });
      // ...and orders keep being answered meanwhile.
      const second = await placeOrder(t.app, customer, await filledCart(t.app, store, [[product.id, 1]]));
      expect(second.status).toBe(201);
      expect(gateway.held_count()).toBeGreaterThan(0);
      expect(gateway.delivered).toHaveLength(0);
    } finally {
      await gateway.stop();
      await t.close();
    }
  });
});
