// Sessions (contract: "Sessions"): refresh rotation, reuse detection, logout, across instances.
import { createHash } from 'node:crypto';
import request from 'supertest';
import { buildTestApp, buildTwoInstances, type TestApp } from '../helpers/app';
import { auth, randomMobile } from '../helpers/factories';

interface SignedIn {
  token: string;
  refreshToken: string;
  expiresIn: number;
}

function signIn(t: TestApp, role: 'seller' | 'customer', mobile = randomMobile()): Promise<SignedIn & { status: number }> {
  return request(t.app)
    .post(`/api/v1/${role}/auth`)
    .send({ mobile, otp: '1234' })
    .then((res) => ({ status: res.status, ...res.body }));
}

const me = (t: TestApp, token: string) =>
  request(t.app)
    .get('/api/v1/seller/me')
    .set(...auth(token));
const refresh = (t: TestApp, refreshToken: unknown) => request(t.app).post('/api/v1/auth/refresh').send({ refreshToken });
const logout = (t: TestApp, token: string, body?: object) => {
  const req = request(t.app)
    .post('/api/v1/auth/logout')
    .set(...auth(token));
  return body ? req.send(body) : req;
};

describe('sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  test('every sign-in answers a short-lived access token, an opaque refresh token and when the first expires', async () => {
    for (const role of ['seller', 'customer'] as const) {
      const s = await signIn(t, role);
      expect(s.status).toBe(201);
      expect(s.expiresIn).toBe(900);
      expect(s.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(s.token.split('.')).toHaveLength(3);
    }
  });

  test('the refresh token is stored only as a hash', async () => {
    const s = await signIn(t, 'seller');
    const hash = createHash('sha256').update(s.refreshToken).digest('hex');
    expect(await t.container.db.refreshToken.count({ where: { hash } })).toBe(1);
    expect(await t.container.db.refreshToken.count({ where: { hash: s.refreshToken } })).toBe(0);
  });

  test('refreshing gives a working pair, and the refresh token presented stops working', async () => {
    const s = await signIn(t, 'seller');
    const next = await refresh(t, s.refreshToken).expect(200);
    expect(next.body).toEqual({ token: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 });
    expect(next.body.refreshToken).not.toBe(s.refreshToken);
    await me(t, next.body.token).expect(200);
    // The pair after that, from the new refresh token.
    const third = await refresh(t, next.body.refreshToken).expect(200);
    await me(t, third.body.token).expect(200);
  });

  test('a used refresh token presented again is 401 and ends the whole session: every token issued from it stops working', async () => {
    const s = await signIn(t, 'seller');
    const next = await refresh(t, s.refreshToken).expect(200);
    const replay = await refresh(t, s.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.headers['content-type']).toMatch(/^application\/problem\+json/);
    await me(t, s.token).expect(401);
    await me(t, next.body.token).expect(401);
    expect((await refresh(t, next.body.refreshToken)).status).toBe(401);
    // Another session of the same account is not touched.
    const other = await signIn(t, 'seller');
    await me(t, other.token).expect(200);
  });

  test('two uses of one refresh token at the same moment: one gets the next pair, and the session ends all the same', async () => {
    const s = await signIn(t, 'seller');
    const answers = await Promise.all([refresh(t, s.refreshToken), refresh(t, s.refreshToken)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 401]);
    const winner = answers.find((r) => r.status === 200)!;
    await me(t, winner.body.token).expect(401);
  });

  test.each([
    ['unknown', 'x'.repeat(43)],
    ['malformed', 'not a token'],
    ['too long', 'a'.repeat(200)],
    ['an access token', 'eyJhbGciOiJIUzI1NiJ9.e30.sig'],
  ])('a refresh token that is %s is 401', async (_name, token) => {
    const res = await refresh(t, token);
    expect(res.status).toBe(401);
  });

  test('a refresh token past REFRESH_TOKEN_TTL is 401', async () => {
    const short = await buildTestApp({ REFRESH_TOKEN_TTL: '1' });
    try {
      const s = await signIn(short, 'customer');
      // Made to have expired a minute ago rather than waited for.
      const claims = JSON.parse(Buffer.from(s.token.split('.')[1]!, 'base64url').toString()) as { sid: string };
      await short.container.db.refreshToken.updateMany({
        where: { sessionId: claims.sid },
        data: { expiresAt: new Date(Date.now() - 60_000) },
      });
      expect((await refresh(short, s.refreshToken)).status).toBe(401);
    } finally {
      await short.close();
    }
  });

  test('a missing or non-string refresh token is 400', async () => {
    expect((await request(t.app).post('/api/v1/auth/refresh').send({})).status).toBe(400);
    expect((await refresh(t, 12)).status).toBe(400);
  });

  test('logout ends this session at once: its access and refresh tokens are 401, and a second logout is 401', async () => {
    const s = await signIn(t, 'seller');
    const other = await signIn(t, 'seller');
    await logout(t, s.token).expect(204);
    await me(t, s.token).expect(401);
    expect((await refresh(t, s.refreshToken)).status).toBe(401);
    expect((await logout(t, s.token)).status).toBe(401);
    await me(t, other.token).expect(200);
  });

  test('logout with { all: true } ends every session of the account, and only of that account', async () => {
    const mobile = randomMobile();
    const phone = await signIn(t, 'seller', mobile);
    const laptop = await signIn(t, 'seller', mobile);
    const someoneElse = await signIn(t, 'seller');
    await logout(t, phone.token, { all: true }).expect(204);
    for (const s of [phone, laptop]) {
      await me(t, s.token).expect(401);
      expect((await refresh(t, s.refreshToken)).status).toBe(401);
    }
    await me(t, someoneElse.token).expect(200);
  });

  test('customers log out the same way (logout takes a token of either role)', async () => {
    const s = await signIn(t, 'customer');
    await request(t.app)
      .get('/api/v1/customer/me')
      .set(...auth(s.token))
      .expect(200);
    await logout(t, s.token, { all: false }).expect(204);
    await request(t.app)
      .get('/api/v1/customer/me')
      .set(...auth(s.token))
      .expect(401);
  });

  test('logout without a token is 401; with a body that is not JSON, 415', async () => {
    expect((await request(t.app).post('/api/v1/auth/logout')).status).toBe(401);
    const s = await signIn(t, 'seller');
    const res = await request(t.app)
      .post('/api/v1/auth/logout')
      .set(...auth(s.token))
      .set('Content-Type', 'text/plain')
      .send('all');
    expect(res.status).toBe(415);
  });
});

describe('sessions across instances', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    [a, b] = await buildTwoInstances('sessions');
  });
  afterAll(() => Promise.all([a.close(), b.close()]));

  test('a logout on one instance is 401 on the other from the next request on', async () => {
    const s = await signIn(a, 'seller');
    await me(b, s.token).expect(200);
    await logout(a, s.token).expect(204);
    await me(b, s.token).expect(401);
    expect((await refresh(b, s.refreshToken)).status).toBe(401);
  });

  test('a replayed refresh token on one instance ends the session on the other', async () => {
    const s = await signIn(a, 'customer');
    const next = await refresh(a, s.refreshToken).expect(200);
    expect((await refresh(b, s.refreshToken)).status).toBe(401);
    await request(a.app)
      .get('/api/v1/customer/me')
      .set(...auth(next.body.token))
      .expect(401);
  });
});
