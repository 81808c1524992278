// Staff with per-store permissions (contract: "Staff") and the one seam that decides store access.
import request from 'supertest';
import { buildTwoInstances, type TestApp } from '../helpers/app';
import {
  auth,
  filledCart,
  newCustomer,
  newProduct,
  newSeller,
  newStore,
  placeOrder,
  randomMobile,
  type Seller,
  type StoreRef,
} from '../helpers/factories';
import { FakeSmsGateway } from '../helpers/fake-sms-gateway';
import { appWithGateway, queueSettled, type BackgroundApp } from '../helpers/sms-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PERMISSIONS = ['products', 'orders', 'customers', 'settings'] as const;

function addStaff(t: TestApp, owner: Seller, store: StoreRef, body: object) {
  return request(t.app)
    .post(`/api/v1/seller/stores/${store.id}/staff`)
    .set(...auth(owner.token))
    .send(body);
}

/** A store with an owner, and a member holding `permissions` who signed in with their own OTP. */
async function storeWithStaff(t: TestApp, permissions: string[]) {
  const owner = await newSeller(t.app);
  const store = await newStore(t.app, owner);
  const mobile = randomMobile();
  const member = (await addStaff(t, owner, store, { mobile, name: 'Suresh', permissions }).expect(201)).body;
  const staff = await newSeller(t.app, mobile);
  return { owner, store, member, staff };
}

describe('staff', () => {
  let t: BackgroundApp;
  let gateway: FakeSmsGateway;
  beforeAll(async () => {
    gateway = new FakeSmsGateway();
    t = await appWithGateway(await gateway.start());
  });
  afterAll(async () => {
    await t.close();
    await gateway.stop();
  });
  /** Resolves when an SMS to `to` whose text matches has been delivered. */
  const delivered = (to: string, text: RegExp) => gateway.until((all) => all.some((m) => m.to === to && text.test(m.message)));

  test('the owner adds staff by mobile; they sign in with their own OTP and find the store among theirs, as staff', async () => {
    const owner = await newSeller(t.app);
    const store = await newStore(t.app, owner, { name: 'Staffed Kirana' });
    const mobile = randomMobile();
    const added = await addStaff(t, owner, store, { mobile: `+91 ${mobile}`, name: 'Suresh', permissions: ['orders'] });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      id: expect.any(String),
      mobile: `+91${mobile}`,
      name: 'Suresh',
      permissions: ['orders'],
      createdAt: expect.any(String),
    });
    await delivered(`+91${mobile}`, /staff of "Staffed Kirana"/);

    const staff = await newSeller(t.app, mobile);
    const mine = await request(t.app)
      .get('/api/v1/seller/stores')
      .set(...auth(staff.token))
      .expect(200);
    expect(mine.body.items).toEqual([expect.objectContaining({ id: store.id, role: 'staff', permissions: ['orders'] })]);
    const one = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}`)
      .set(...auth(staff.token))
      .expect(200);
    expect(one.body).toMatchObject({ id: store.id, role: 'staff', permissions: ['orders'] });
    const ownerView = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}`)
      .set(...auth(owner.token))
      .expect(200);
    expect(ownerView.body).toMatchObject({ role: 'owner', permissions: [...PERMISSIONS] });
  });

  test('a seller who owns one store and is staff of another sees both, each with its role', async () => {
    const { store: theirs, staff } = await storeWithStaff(t, ['products', 'customers']);
    const own = await newStore(t.app, staff, { name: 'My Own Shop' });
    expect(own).toMatchObject({ role: 'owner', permissions: [...PERMISSIONS] });
    const list = await request(t.app)
      .get('/api/v1/seller/stores')
      .set(...auth(staff.token))
      .expect(200);
    expect(list.body.total).toBe(2);
    const byId = Object.fromEntries(list.body.items.map((s: Json) => [s.id, [s.role, s.permissions]]));
    expect(byId).toEqual({ [own.id]: ['owner', [...PERMISSIONS]], [theirs.id]: ['staff', ['products', 'customers']] });
  });

  test("the owner's own mobile, a mobile already on the staff, and a 21st member are 409; bad permissions are 400", async () => {
    const owner = await newSeller(t.app);
    const store = await newStore(t.app, owner);
    expect((await addStaff(t, owner, store, { mobile: owner.mobile, permissions: ['orders'] })).status).toBe(409);
    const mobile = randomMobile();
    await addStaff(t, owner, store, { mobile, permissions: ['orders'] }).expect(201);
    expect((await addStaff(t, owner, store, { mobile, permissions: ['products'] })).status).toBe(409);
    for (const permissions of [[], ['admin'], ['orders', 'orders']]) {
      expect((await addStaff(t, owner, store, { mobile: randomMobile(), permissions })).status).toBe(400);
    }
    for (let i = 0; i < 19; i++) await addStaff(t, owner, store, { mobile: randomMobile(), permissions: ['orders'] }).expect(201);
    const refused = await addStaff(t, owner, store, { mobile: randomMobile(), permissions: ['orders'] });
    expect(refused.status).toBe(409);
    expect(refused.body.type).toMatch(/staff-limit/);
    const list = await request(t.app)
      .get(`/api/v1/seller/stores/${store.id}/staff`)
      .set(...auth(owner.token))
      .expect(200);
    expect(list.body.items).toHaveLength(20);
  });

  test('staff cannot manage staff (403), strangers cannot (404), and the owner cannot be removed as staff', async () => {
    const { owner, store, member, staff } = await storeWithStaff(t, [...PERMISSIONS]);
    const stranger = await newSeller(t.app);
    for (const token of [staff.token, stranger.token]) {
      const expected = token === staff.token ? 403 : 404;
      expect(
        (
          await request(t.app)
            .get(`/api/v1/seller/stores/${store.id}/staff`)
            .set(...auth(token))
        ).status,
      ).toBe(expected);
      expect(
        (
          await request(t.app)
            .post(`/api/v1/seller/stores/${store.id}/staff`)
            .set(...auth(token))
            .send({ mobile: randomMobile(), permissions: ['orders'] })
        ).status,
      ).toBe(expected);
      expect(
        (
          await request(t.app)
            .delete(`/api/v1/seller/stores/${store.id}/staff/${member.id}`)
            .set(...auth(token))
        ).status,
      ).toBe(expected);
    }
    // The owner is not a member: there is no staff id of theirs to remove.
    expect(
      (
        await request(t.app)
          .delete(`/api/v1/seller/stores/${store.id}/staff/${owner.id}`)
          .set(...auth(owner.token))
      ).status,
    ).toBe(404);
  });

  test('a staff member of store A gets 404 on store B', async () => {
    const { staff } = await storeWithStaff(t, [...PERMISSIONS]);
    const other = await newSeller(t.app);
    const b = await newStore(t.app, other);
    expect(
      (
        await request(t.app)
          .get(`/api/v1/seller/stores/${b.id}`)
          .set(...auth(staff.token))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(t.app)
          .get(`/api/v1/seller/stores/${b.id}/orders`)
          .set(...auth(staff.token))
      ).status,
    ).toBe(404);
  });

  test.each(PERMISSIONS)('the "%s" permission alone grants its area and nothing else', async (permission) => {
    const { owner, store, staff } = await storeWithStaff(t, [permission]);
    const product = await newProduct(t.app, owner, store, { stock: 10 });
    const as = (method: 'get' | 'post' | 'patch', path: string, body?: object) => {
      const url = `/api/v1/seller/stores/${store.id}${path}`;
      const req = (
        method === 'get' ? request(t.app).get(url) : method === 'post' ? request(t.app).post(url) : request(t.app).patch(url)
      ).set(...auth(staff.token));
      return body ? req.send(body) : req;
    };
    const areas: Record<(typeof PERMISSIONS)[number], () => Promise<request.Response>> = {
      products: () => as('get', '/products'),
      orders: () => as('get', '/orders/summary'),
      customers: () => as('get', '/customers'),
      settings: () => as('patch', '', { address: '2 New Road, Pune' }),
    };
    for (const area of PERMISSIONS) {
      const res = await areas[area]();
      expect({ area, status: res.status }).toEqual({ area, status: area === permission ? 200 : 403 });
    }
    // Every member may see the store itself.
    await as('get', '').expect(200);
    // Writes in the area follow the permission too.
    const write = await as('patch', `/products/${product.id}`, { salePrice: 100 });
    expect(write.status).toBe(permission === 'products' ? 200 : 403);
  });

  test('a permission taken away or a member removed is refused on their next request, with the token they hold', async () => {
    const { owner, store, member, staff } = await storeWithStaff(t, ['orders', 'products']);
    const summary = () =>
      request(t.app)
        .get(`/api/v1/seller/stores/${store.id}/orders/summary`)
        .set(...auth(staff.token));
    await summary().expect(200);
    await request(t.app)
      .patch(`/api/v1/seller/stores/${store.id}/staff/${member.id}`)
      .set(...auth(owner.token))
      .send({ permissions: ['products'] })
      .expect(200);
    expect((await summary()).status).toBe(403);
    await request(t.app)
      .delete(`/api/v1/seller/stores/${store.id}/staff/${member.id}`)
      .set(...auth(owner.token))
      .expect(204);
    expect((await summary()).status).toBe(404);
    expect(
      (
        await request(t.app)
          .get(`/api/v1/seller/stores/${store.id}/products`)
          .set(...auth(staff.token))
      ).status,
    ).toBe(404);
    const list = await request(t.app)
      .get('/api/v1/seller/stores')
      .set(...auth(staff.token))
      .expect(200);
    expect(list.body.total).toBe(0);
  });

  test('a new order is told by SMS to the owner and to staff with "orders", not to other staff', async () => {
    const owner = await newSeller(t.app);
    const store = await newStore(t.app, owner, { name: 'Busy Shop' });
    const packer = randomMobile();
    const pricer = randomMobile();
    await addStaff(t, owner, store, { mobile: packer, permissions: ['orders'] }).expect(201);
    await addStaff(t, owner, store, { mobile: pricer, permissions: ['products'] }).expect(201);
    const product = await newProduct(t.app, owner, store);
    const customer = await newCustomer(t.app);
    const order = (await placeOrder(t.app, customer, await filledCart(t.app, store, [[product.id, 1]])).expect(201)).body;
    const ref = order.id.replace(/-/g, '').slice(-8).toUpperCase();
    for (const to of [owner.mobile, `+91${packer}`]) await delivered(to, new RegExp(`new order #${ref}`));
    await queueSettled(t);
    expect(gateway.delivered.filter((m) => m.to === `+91${pricer}` && m.message.includes(ref))).toEqual([]);
  });
});

describe('staff across instances', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    [a, b] = await buildTwoInstances('staff');
  });
  afterAll(() => Promise.all([a.close(), b.close()]));

  test('a member removed through one instance is refused by the other on their next request', async () => {
    const { owner, store, member, staff } = await storeWithStaff(a, ['orders']);
    const summary = () =>
      request(b.app)
        .get(`/api/v1/seller/stores/${store.id}/orders/summary`)
        .set(...auth(staff.token));
    await summary().expect(200);
    await request(a.app)
      .delete(`/api/v1/seller/stores/${store.id}/staff/${member.id}`)
      .set(...auth(owner.token))
      .expect(204);
    expect((await summary()).status).toBe(404);
  });
});
