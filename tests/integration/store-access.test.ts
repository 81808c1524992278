// The one seam of store access, walked over every operation of the OpenAPI document: a route
// declared with a store need (x-store-access) is 403 for staff without it and 404 for a stranger,
// and every seller route under /seller/stores/{storeId} declares one, so a new endpoint cannot
// forget the check.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/app';
import { addStaff, auth, newSeller, newStore, randomMobile } from '../helpers/factories';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PERMISSIONS = ['products', 'orders', 'customers', 'settings'];

describe('store access, for every seller operation', () => {
  let t: TestApp;
  let doc: Json;
  let storeId: string;
  /** Staff tokens, by the permission each lacks (it holds the other three); `all` holds all four. */
  const lacking: Record<string, string> = {};
  let stranger: string;

  beforeAll(async () => {
    t = await buildTestApp();
    doc = (await request(t.app).get('/openapi.json')).body;
    const owner = await newSeller(t.app);
    storeId = (await newStore(t.app, owner)).id;
    for (const missing of [...PERMISSIONS, 'all']) {
      const mobile = randomMobile();
      await addStaff(
        t.app,
        owner,
        { id: storeId },
        mobile,
        PERMISSIONS.filter((p) => p !== missing),
      );
      lacking[missing] = (await newSeller(t.app, mobile)).token;
    }
    stranger = (await newSeller(t.app)).token;
  });
  afterAll(() => t.close());

  const storeOperations = () =>
    Object.entries(doc.paths as Json).flatMap(([path, item]) =>
      (['get', 'post', 'patch', 'delete'] as const)
        .filter((m) => item[m] && path.startsWith('/api/v1/seller/stores/{storeId}'))
        .map((method) => ({ path, method, need: item[method]['x-store-access'] as string | undefined })),
    );

  const call = (method: 'get' | 'post' | 'patch' | 'delete', path: string, token: string) => {
    const url = path.replace('{storeId}', storeId).replace(/\{\w+\}/g, () => randomUUID());
    const agent = request(t.app);
    const req = (
      method === 'get' ? agent.get(url) : method === 'post' ? agent.post(url) : method === 'patch' ? agent.patch(url) : agent.delete(url)
    ).set(...auth(token));
    return method === 'post' || method === 'patch' ? req.send({}) : req;
  };

  test('every seller operation under a store declares what it needs', () => {
    const ops = storeOperations();
    expect(ops.length).toBeGreaterThanOrEqual(17);
    expect(ops.filter((o) => !o.need).map((o) => `${o.method.toUpperCase()} ${o.path}`)).toEqual([]);
  });

  test('staff lacking the permission get 403; staff of the store with it get past the seam; a stranger gets 404', async () => {
    for (const { path, method, need } of storeOperations()) {
      const where = `${method.toUpperCase()} ${path} (${need})`;
      const strangerAnswer = await call(method, path, stranger);
      expect([where, 'stranger', strangerAnswer.status]).toEqual([where, 'stranger', 404]);
      if (need === 'member') continue;
      const without = need === 'owner' ? lacking.all! : lacking[need!]!;
      const refused = await call(method, path, without);
      expect([where, 'without', refused.status, refused.body.type]).toEqual([
        where,
        'without',
        403,
        expect.stringMatching(/missing-permission|owner-only/),
      ]);
      // An event stream let through stays open: its "with" side is tested in events.test.ts.
      if (need === 'owner' || path.endsWith('/events')) continue;
      // With the permission, the seam lets the request through to its own checks (validation, not found...), never 403.
      const allowed = await call(method, path, lacking[PERMISSIONS.find((p) => p !== need)!]!);
      expect([where, 'with', allowed.status === 403]).toEqual([where, 'with', false]);
    }
  });
});
