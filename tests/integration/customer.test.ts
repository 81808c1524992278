import jwt from 'jsonwebtoken';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { ADDRESS, auth, newCustomer, newSeller, randomMobile } from '../helpers/factories';

describe('customer sign-in and profile', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  test('first sign-in creates the customer (201), the next finds it (200), in E.164', async () => {
    const mobile = randomMobile();
    const first = await request(t.app)
      .post('/api/v1/customer/auth')
      .send({ mobile: `0${mobile}`, otp: '123456' });
    expect(first.status).toBe(201);
    expect(first.body.customer).toEqual({ id: expect.any(String), mobile: `+91${mobile}`, name: null, address: null });
    expect(jwt.decode(first.body.token)).toMatchObject({ sub: first.body.customer.id, role: 'customer' });
    const again = await request(t.app)
      .post('/api/v1/customer/auth')
      .send({ mobile: `+91 ${mobile}`, otp: '1234' });
    expect(again.status).toBe(200);
    expect(again.body.customer.id).toBe(first.body.customer.id);
  });

  test('a seller and a customer with one mobile are two identities', async () => {
    const mobile = randomMobile();
    const seller = await newSeller(t.app, mobile);
    const customer = await newCustomer(t.app, mobile);
    expect(customer.id).not.toBe(seller.id);
    expect(
      (
        await request(t.app)
          .get('/api/v1/customer/me')
          .set(...auth(seller.token))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(t.app)
          .get('/api/v1/seller/me')
          .set(...auth(customer.token))
      ).status,
    ).toBe(403);
  });

  test('requesting a customer OTP answers 202; a bad mobile 400', async () => {
    const mobile = randomMobile();
    expect((await request(t.app).post('/api/v1/customer/auth/otp').send({ mobile })).body).toEqual({
      mobile: `+91${mobile}`,
      expiresInSeconds: 300,
    });
    expect((await request(t.app).post('/api/v1/customer/auth/otp').send({ mobile: 'x' })).status).toBe(400);
    expect((await request(t.app).post('/api/v1/customer/auth').send({ mobile, otp: '12' })).status).toBe(400);
  });

  test('GET/PATCH /customer/me: name and address are saved, null clears them', async () => {
    const c = await newCustomer(t.app);
    const patched = await request(t.app)
      .patch('/api/v1/customer/me')
      .set(...auth(c.token))
      .send({ name: ' Asha ', address: ADDRESS })
      .expect(200);
    expect(patched.body).toEqual({ id: c.id, mobile: c.mobile, name: 'Asha', address: ADDRESS });
    expect(
      (
        await request(t.app)
          .get('/api/v1/customer/me')
          .set(...auth(c.token))
          .expect(200)
      ).body,
    ).toEqual(patched.body);
    const nameOnly = await request(t.app)
      .patch('/api/v1/customer/me')
      .set(...auth(c.token))
      .send({ name: 'Asha K' })
      .expect(200);
    expect(nameOnly.body.address).toEqual(ADDRESS);
    const cleared = await request(t.app)
      .patch('/api/v1/customer/me')
      .set(...auth(c.token))
      .send({ address: null })
      .expect(200);
    expect(cleared.body.address).toBeNull();
  });

  test.each([
    [{ address: { ...ADDRESS, pincode: '12345' } }, 'address.pincode'],
    [{ address: { ...ADDRESS, pincode: 560001 } }, 'address.pincode'],
    [{ address: { city: 'X', pincode: '560001' } }, 'address.line1'],
    [{ address: { ...ADDRESS, country: 'IN' } }, 'address.country'],
    [{ address: 'somewhere' }, 'address'],
    [{ name: '' }, 'name'],
    [{ mobile: '+919999999999' }, 'mobile'],
  ])('PATCH %p is 400 naming %s, and changes nothing', async (body, path) => {
    const c = await newCustomer(t.app);
    const res = await request(t.app)
      .patch('/api/v1/customer/me')
      .set(...auth(c.token))
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(
      (
        await request(t.app)
          .get('/api/v1/customer/me')
          .set(...auth(c.token))
      ).body,
    ).toMatchObject({ name: null, address: null });
  });

  test('customer endpoints need a customer token', async () => {
    expect((await request(t.app).get('/api/v1/customer/me')).status).toBe(401);
    expect((await request(t.app).get('/api/v1/orders')).status).toBe(401);
  });
});
