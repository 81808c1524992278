import jwt from 'jsonwebtoken';
import request from 'supertest';
import type { SmsProvider } from '../../src/services/sms/sms-provider';
import { buildTestApp, type TestApp } from '../helpers/app';
import { auth, newCustomer, newSeller, randomMobile } from '../helpers/factories';

const SECRET = process.env.JWT_SECRET!;

describe('seller auth (OTP_MODE=bypass)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  test('when a seller signs in for the first time, then the account is created (201), and the next time found (200)', async () => {
    const mobile = randomMobile();
    const first = await request(t.app).post('/api/v1/seller/auth').send({ mobile, otp: '1234' });
    expect(first.status).toBe(201);
    expect(first.body.account).toEqual({ id: expect.any(String), mobile: `+91${mobile}`, createdAt: expect.any(String) });
    expect(typeof first.body.token).toBe('string');

    const again = await request(t.app)
      .post('/api/v1/seller/auth')
      .send({ mobile: `0${mobile}`, otp: '987654' });
    expect(again.status).toBe(200);
    expect(again.body.account.id).toBe(first.body.account.id);
  });

  test.each([(m: string) => m, (m: string) => `+91${m}`, (m: string) => `0${m}`, (m: string) => `+91 ${m.slice(0, 5)} ${m.slice(5)}`])(
    'every accepted spelling of a mobile (%#) is one account in E.164',
    async (spell) => {
      const mobile = randomMobile();
      const created = await request(t.app)
        .post('/api/v1/seller/auth')
        .send({ mobile: `+91${mobile}`, otp: '1234' })
        .expect(201);
      const res = await request(t.app)
        .post('/api/v1/seller/auth')
        .send({ mobile: spell(mobile), otp: '1234' })
        .expect(200);
      expect(res.body.account).toMatchObject({ id: created.body.account.id, mobile: `+91${mobile}` });
    },
  );

  test('when the same new mobile signs in 8 times at once, then exactly one account is created', async () => {
    const mobile = randomMobile();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => request(t.app).post('/api/v1/seller/auth').send({ mobile, otp: '1234' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.account.id)).size).toBe(1);
  });

  test.each([
    [{ mobile: '12345', otp: '1234' }, 'mobile'],
    [{ mobile: 'not a phone', otp: '1234' }, 'mobile'],
    [{ mobile: '9876543210', otp: '12' }, 'otp'],
    [{ mobile: '9876543210', otp: '1234567' }, 'otp'],
    [{ mobile: '9876543210', otp: 'abcd' }, 'otp'],
    [{ mobile: '9876543210', otp: 1234 }, 'otp'],
    [{ mobile: '9876543210' }, 'otp'],
    [{ otp: '1234' }, 'mobile'],
    [{ mobile: '9876543210', otp: '1234', extra: true }, 'extra'],
    [{ mobile: '98765\u000043210', otp: '1234' }, 'mobile'],
  ])('when the body is %p, then 400 names %p', async (body, path) => {
    const res = await request(t.app).post('/api/v1/seller/auth').send(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  test('requesting an OTP answers 202 with the normalised mobile', async () => {
    const mobile = randomMobile();
    const res = await request(t.app)
      .post('/api/v1/seller/auth/otp')
      .send({ mobile: `0${mobile}` });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ mobile: `+91${mobile}`, expiresInSeconds: 300 });
  });

  test('an invalid mobile cannot request an OTP', async () => {
    const res = await request(t.app).post('/api/v1/seller/auth/otp').send({ mobile: '123' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('mobile');
  });

  describe('tokens', () => {
    test('GET /seller/me answers the signed-in seller', async () => {
      const seller = await newSeller(t.app);
      const res = await request(t.app)
        .get('/api/v1/seller/me')
        .set(...auth(seller.token))
        .expect(200);
      expect(res.body).toEqual({ id: seller.id, mobile: seller.mobile, createdAt: expect.any(String) });
    });

    test('the issued token is HS256 with sub, role and exp', async () => {
      const seller = await newSeller(t.app);
      const decoded = jwt.decode(seller.token, { complete: true })!;
      expect(decoded.header.alg).toBe('HS256');
      expect(decoded.payload).toMatchObject({ sub: seller.id, role: 'seller', exp: expect.any(Number) });
    });

    /** A session id of the right shape, so each forged token below is refused for its own flaw. */
    const SID = '0192b6a4-7c1e-7a3b-9d2e-5f1a2b3c4d5e';
    const forged: Array<[string, () => string]> = [
      ['no token', () => ''],
      ['garbage', () => 'Bearer not.a.jwt'],
      ['wrong secret', () => `Bearer ${jwt.sign({ role: 'seller', sid: SID }, 'another-secret', { subject: 'x', expiresIn: 60 })}`],
      [
        'expired',
        () => `Bearer ${jwt.sign({ role: 'seller', sid: SID, exp: Math.floor(Date.now() / 1000) - 10 }, SECRET, { subject: 'x' })}`,
      ],
      ['alg none', () => `Bearer ${jwt.sign({ role: 'seller', sid: SID }, '', { algorithm: 'none', subject: 'x', expiresIn: 60 })}`],
      ['HS512', () => `Bearer ${jwt.sign({ role: 'seller', sid: SID }, SECRET, { algorithm: 'HS512', subject: 'x', expiresIn: 60 })}`],
      ['no exp', () => `Bearer ${jwt.sign({ role: 'seller', sid: SID }, SECRET, { subject: 'x' })}`],
      ['no role', () => `Bearer ${jwt.sign({ sid: SID }, SECRET, { subject: 'x', expiresIn: 60 })}`],
      // Well signed, but of no session (as tokens made before sessions were): it cannot be ended, so it is refused.
      ['without a session id', () => `Bearer ${jwt.sign({ role: 'seller' }, SECRET, { subject: 'x', expiresIn: 60 })}`],
      ['basic scheme', () => 'Basic dXNlcjpwYXNz'],
    ];
    test.each(forged)('when the token is %s, then 401 problem+json with a Bearer challenge', async (_name, header) => {
      const req = request(t.app).get('/api/v1/seller/me');
      const value = header();
      if (value) req.set('Authorization', value);
      const res = await req;
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    test('when a customer token calls a seller endpoint, then 403', async () => {
      const { token } = await newCustomer(t.app);
      const res = await request(t.app)
        .get('/api/v1/seller/stores')
        .set(...auth(token));
      expect(res.status).toBe(403);
      expect(res.body.status).toBe(403);
    });
  });
});

describe('OTP rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ OTP_RATE_LIMIT_PER_MOBILE: '3', OTP_RATE_LIMIT_PER_IP: '1000' });
  });
  afterAll(() => t.close());

  test('when a mobile asks for more OTPs than allowed, then 429 with Retry-After, counted across spellings of the number', async () => {
    const mobile = randomMobile();
    for (const spelling of [mobile, `+91${mobile}`, `0${mobile}`]) {
      await request(t.app).post('/api/v1/seller/auth/otp').send({ mobile: spelling }).expect(202);
    }
    const limited = await request(t.app).post('/api/v1/seller/auth/otp').send({ mobile });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(900);
    expect(limited.body.status).toBe(429);
    // Another mobile from the same IP is not affected.
    await request(t.app).post('/api/v1/seller/auth/otp').send({ mobile: randomMobile() }).expect(202);
  });

  test('the customer OTP endpoint is limited too, sharing the per-mobile count with the seller one', async () => {
    const mobile = randomMobile();
    await request(t.app).post('/api/v1/seller/auth/otp').send({ mobile }).expect(202);
    await request(t.app).post('/api/v1/customer/auth/otp').send({ mobile }).expect(202);
    await request(t.app).post('/api/v1/customer/auth/otp').send({ mobile }).expect(202);
    const limited = await request(t.app).post('/api/v1/customer/auth/otp').send({ mobile });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  test('when 10 requests for one mobile race, then exactly the limit get through', async () => {
    const mobile = randomMobile();
    const results = await Promise.all(Array.from({ length: 10 }, () => request(t.app).post('/api/v1/seller/auth/otp').send({ mobile })));
    expect(results.filter((r) => r.status === 202)).toHaveLength(3);
    expect(results.filter((r) => r.status === 429)).toHaveLength(7);
  });

  test('the per-IP limit holds across mobiles and across app instances sharing Redis', async () => {
    const t1 = await buildTestApp({ OTP_RATE_LIMIT_PER_IP: '4', REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}ip-a:` });
    const t2 = await buildTestApp({ OTP_RATE_LIMIT_PER_IP: '4', REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}ip-a:` });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const app = i % 2 === 0 ? t1.app : t2.app;
        statuses.push((await request(app).post('/api/v1/seller/auth/otp').send({ mobile: randomMobile() })).status);
      }
      expect(statuses).toEqual([202, 202, 202, 202, 429, 429]);
    } finally {
      await Promise.all([t1.close(), t2.close()]);
    }
  });
});

describe('OTP_MODE=sms', () => {
  const sent: Array<{ to: string; text: string }> = [];
  const sms: SmsProvider = { name: 'recording', send: async (to, text) => void sent.push({ to, text }) };
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ OTP_MODE: 'sms' }, { sms });
  });
  afterAll(() => t.close());

  async function requestCode(mobile: string): Promise<string> {
    await request(t.app).post('/api/v1/seller/auth/otp').send({ mobile }).expect(202);
    const message = sent.filter((m) => m.to === `+91${mobile}`).at(-1)!;
    return /\b(\d{6})\b/.exec(message.text)![1]!;
  }

  test('only the code that was sent works, and only once', async () => {
    const mobile = randomMobile();
    const code = await requestCode(mobile);
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await request(t.app).post('/api/v1/seller/auth').send({ mobile, otp: wrong })).status).toBe(401);
    expect((await request(t.app).post('/api/v1/seller/auth').send({ mobile, otp: code })).status).toBe(201);
    expect((await request(t.app).post('/api/v1/seller/auth').send({ mobile, otp: code })).status).toBe(401);
  });

  test('customers sign in with the code sent to them; a seller code does not sign in a customer', async () => {
    const mobile = randomMobile();
    await request(t.app).post('/api/v1/customer/auth/otp').send({ mobile }).expect(202);
    const code = /\b(\d{6})\b/.exec(sent.filter((m) => m.to === `+91${mobile}`).at(-1)!.text)![1]!;
    expect((await request(t.app).post('/api/v1/seller/auth').send({ mobile, otp: code })).status).toBe(401);
    const res = await request(t.app).post('/api/v1/customer/auth').send({ mobile, otp: code });
    expect(res.status).toBe(201);
    expect(res.body.customer.mobile).toBe(`+91${mobile}`);
  });

  test('without a requested code nothing is accepted', async () => {
    const res = await request(t.app).post('/api/v1/seller/auth').send({ mobile: randomMobile(), otp: '123456' });
    expect(res.status).toBe(401);
  });

  test('a newer code replaces the older one', async () => {
    const mobile = randomMobile();
    const first = await requestCode(mobile);
    const second = await requestCode(mobile);
    if (first !== second) expect((await request(t.app).post('/api/v1/seller/auth').send({ mobile, otp: first })).status).toBe(401);
    expect((await request(t.app).post('/api/v1/seller/auth').send({ mobile, otp: second })).status).toBe(201);
  });

  test('5 wrong tries burn the code', async () => {
    const mobile = randomMobile();
    const code = await requestCode(mobile);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await request(t.app).post('/api/v1/seller/auth').send({ mobile, otp: wrong }).expect(401);
    expect((await request(t.app).post('/api/v1/seller/auth').send({ mobile, otp: code })).status).toBe(401);
  });

  test('when the right code is sent by 5 requests at once, then exactly one signs in', async () => {
    const mobile = randomMobile();
    const code = await requestCode(mobile);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => request(t.app).post('/api/v1/seller/auth').send({ mobile, otp: code })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(4);
  });

  test('the OTP is stored hashed with an expiry, never in clear', async () => {
    const mobile = randomMobile();
    const code = await requestCode(mobile);
    const key = `otp:code:seller:+91${mobile}`;
    const stored = await t.container.redis.hgetall(key);
    expect(stored.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(code);
    const ttl = await t.container.redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
  });
});
