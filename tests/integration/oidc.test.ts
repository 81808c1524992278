// OpenID Connect sign-in (contract: "OpenID Connect sign-in") against a real provider.
import { createHmac, randomBytes } from 'node:crypto';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { auth, randomMobile } from '../helpers/factories';
import { OTHER_CLIENT, startProvider, type TestProvider, CLIENT } from '../helpers/oidc-provider';

jest.setTimeout(30_000);

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('OpenID Connect sign-in', () => {
  let provider: TestProvider;
  let t: TestApp;
  beforeAll(async () => {
    provider = await startProvider();
    // Keys may be fetched again as soon as an unknown key id arrives: the test rotates them at once.
    t = await buildTestApp({ OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: CLIENT.id }, { oidcJwksCooldownMs: 0 });
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  const seller = (body: object) => request(t.app).post('/api/v1/seller/auth/oidc').send(body);
  const customer = (body: object) => request(t.app).post('/api/v1/customer/auth/oidc').send(body);
  const sub = () => `user-${randomBytes(6).toString('hex')}`;
  /** +91 and the ten digits, as a provider writes a phone number. */
  const e164 = (mobile: string) => `+91${mobile}`;

  test('the first sign-in links the identity by a verified phone claim and answers as the OTP sign-in; later ones need only the ID token', async () => {
    const mobile = randomMobile();
    const account = { sub: sub(), phone: e164(mobile), phoneVerified: true };
    const first = await seller({ idToken: await provider.idToken(account) });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      token: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
      account: { id: expect.any(String), mobile: e164(mobile), createdAt: expect.any(String) },
    });
    await request(t.app)
      .get('/api/v1/seller/me')
      .set(...auth(first.body.token))
      .expect(200);
    const again = await seller({ idToken: await provider.idToken(account) });
    expect(again.status).toBe(200);
    expect(again.body.account.id).toBe(first.body.account.id);
    // The same mobile through the OTP sign-in is the same account.
    const otp = await request(t.app).post('/api/v1/seller/auth').send({ mobile, otp: '1234' }).expect(200);
    expect(otp.body.account.id).toBe(first.body.account.id);
  });

  test('an account may have several identities; each links to the account of its mobile', async () => {
    const mobile = randomMobile();
    const a = await seller({ idToken: await provider.idToken({ sub: sub(), phone: e164(mobile), phoneVerified: true }) });
    const b = await seller({ idToken: await provider.idToken({ sub: sub(), phone: e164(mobile), phoneVerified: true }) });
    expect([a.status, b.status]).toEqual([201, 200]);
    expect(b.body.account.id).toBe(a.body.account.id);
  });

  test('an unverified phone claim does not link: 400 naming mobile, unless a mobile and OTP come with the token', async () => {
    const mobile = randomMobile();
    const account = { sub: sub(), phone: e164(randomMobile()), phoneVerified: false };
    const refused = await customer({ idToken: await provider.idToken(account) });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: 'mobile', message: expect.stringMatching(/required/) }]);
    const linked = await customer({ idToken: await provider.idToken(account), mobile, otp: '1234' });
    expect(linked.status).toBe(201);
    expect(linked.body.customer).toMatchObject({ mobile: e164(mobile) });
    const later = await customer({ idToken: await provider.idToken(account) });
    expect(later.status).toBe(200);
    expect(later.body.customer.id).toBe(linked.body.customer.id);
  });

  test('with no phone claim at all, a mobile and OTP link it; a bad mobile is 400 before any account is made', async () => {
    const account = { sub: sub() };
    expect((await customer({ idToken: await provider.idToken(account), mobile: '12345', otp: '1234' })).status).toBe(400);
    const linked = await customer({ idToken: await provider.idToken(account), mobile: randomMobile(), otp: '1234' });
    expect(linked.status).toBe(201);
  });

  test('in OTP_MODE=sms the OTP that links an identity is checked as the OTP sign-in checks it', async () => {
    const strict = await buildTestApp({ OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: CLIENT.id, OTP_MODE: 'sms' });
    try {
      const res = await request(strict.app)
        .post('/api/v1/customer/auth/oidc')
        .send({ idToken: await provider.idToken({ sub: sub() }), mobile: randomMobile(), otp: '1234' });
      expect(res.status).toBe(401);
    } finally {
      await strict.close();
    }
  });

  test('a token for another audience is 401', async () => {
    const idToken = await provider.idToken({ sub: sub(), phone: e164(randomMobile()), phoneVerified: true }, OTHER_CLIENT);
    expect((await seller({ idToken })).status).toBe(401);
  });

  test('a token of another issuer is 401', async () => {
    const other = await startProvider();
    try {
      const idToken = await other.idToken({ sub: sub(), phone: e164(randomMobile()), phoneVerified: true });
      expect((await seller({ idToken })).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  test('an expired token, signed by the issuer, is 401', async () => {
    const jose = await import('jose');
    const key = provider.signingKey();
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new jose.SignJWT({ phone_number: e164(randomMobile()), phone_number_verified: true })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid! })
      .setIssuer(provider.issuer)
      .setAudience(CLIENT.id)
      .setSubject(sub())
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(await jose.importJWK(key, 'RS256'));
    expect((await seller({ idToken })).status).toBe(401);
  });

  test('a token signed with a key the issuer never published is 401', async () => {
    const jose = await import('jose');
    const { privateKey } = await jose.generateKeyPair('RS256');
    const idToken = await new jose.SignJWT({ phone_number: e164(randomMobile()), phone_number_verified: true })
      .setProtectedHeader({ alg: 'RS256', kid: provider.signingKey().kid! })
      .setIssuer(provider.issuer)
      .setAudience(CLIENT.id)
      .setSubject(sub())
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    expect((await seller({ idToken })).status).toBe(401);
  });

  test('alg none and HS256 "signed" with the issuer\'s public key are 401', async () => {
    const claims = {
      iss: provider.issuer,
      aud: CLIENT.id,
      sub: sub(),
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 300,
      phone_number: e164(randomMobile()),
      phone_number_verified: true,
    };
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    expect((await seller({ idToken: none })).status).toBe(401);
    // The classic confusion: the public key (as the JWKS publishes it) used as an HMAC secret.
    const { kid, n, e, kty } = provider.signingKey();
    const header = b64({ alg: 'HS256', typ: 'JWT', kid });
    const body = b64(claims);
    const publicKey = JSON.stringify({ kty, n, e });
    const mac = createHmac('sha256', publicKey).update(`${header}.${body}`).digest('base64url');
    expect((await seller({ idToken: `${header}.${body}.${mac}` })).status).toBe(401);
  });

  test('garbage is 401, and a missing idToken is 400', async () => {
    expect((await seller({ idToken: 'not.a.token' })).status).toBe(401);
    expect((await seller({})).status).toBe(400);
  });

  test('when the issuer rotates its keys, tokens signed with the new key verify (the keys are fetched again)', async () => {
    const account = { sub: sub(), phone: e164(randomMobile()), phoneVerified: true };
    await seller({ idToken: await provider.idToken(account) }).expect(201);
    const oldKid = provider.signingKey().kid;
    await provider.rotateKeys();
    expect(provider.signingKey().kid).not.toBe(oldKid);
    const idToken = await provider.idToken(account);
    expect(JSON.parse(Buffer.from(idToken.split('.')[0]!, 'base64url').toString()).kid).toBe(provider.signingKey().kid);
    expect((await seller({ idToken })).status).toBe(200);
  });
});

describe('OpenID Connect sign-in, not configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  test('without OIDC_ISSUER and OIDC_CLIENT_ID the two endpoints answer 404', async () => {
    for (const role of ['seller', 'customer']) {
      const res = await request(t.app).post(`/api/v1/${role}/auth/oidc`).send({ idToken: 'x.y.z' });
      expect(res.status).toBe(404);
    }
  });
});
