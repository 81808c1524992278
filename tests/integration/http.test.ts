import request from 'supertest';
import { loadConfig } from '../../src/config';
import { buildTestApp, type TestApp } from '../helpers/app';
import { auth, newSeller, newStore } from '../helpers/factories';

describe('HTTP conventions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  test('every response carries X-Request-Id: a safe incoming one is echoed, anything else replaced', async () => {
    const echoed = await request(t.app).get('/healthz').set('X-Request-Id', 'abc.DEF_123-x');
    expect(echoed.headers['x-request-id']).toBe('abc.DEF_123-x');
    const unsafe = await request(t.app).get('/healthz').set('X-Request-Id', 'bad id\twith spaces');
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const tooLong = await request(t.app).get('/healthz').set('X-Request-Id', 'a'.repeat(129));
    expect(tooLong.headers['x-request-id']).not.toBe('a'.repeat(129));
    const generated = await request(t.app).get('/nowhere');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('an unknown route is 404 problem+json', async () => {
    const res = await request(t.app).get('/api/v1/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: expect.any(String), title: 'Not Found', status: 404, detail: expect.any(String) });
  });

  test('API paths are case-sensitive and take a trailing slash', async () => {
    const seller = await newSeller(t.app);
    const store = await newStore(t.app, seller);
    await request(t.app).get(`/api/v1/stores/${store.slug}/catalog`).expect(200);
    await request(t.app).get(`/api/v1/stores/${store.slug}/catalog/`).expect(200);
    await request(t.app).post('/api/v1/carts/').send({ storeLink: store.slug }).expect(201);
    for (const path of [`/api/v1/Stores/${store.slug}/catalog`, `/api/v1/stores/${store.slug}/Catalog`, '/API/v1/carts']) {
      const res = await request(t.app).get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
  });

  test.each([
    ['put', '/api/v1/carts', 'POST, OPTIONS'],
    ['get', '/api/v1/carts/3f1f8a4e-0c1d-4a5b-9e2f-1a2b3c4d5e6f/items', 'POST, OPTIONS'],
    ['delete', '/api/v1/stores/some-shop', 'GET, HEAD, OPTIONS'],
    [
      'post',
      '/api/v1/seller/stores/3f1f8a4e-0c1d-4a5b-9e2f-1a2b3c4d5e6f/products/3f1f8a4e-0c1d-4a5b-9e2f-1a2b3c4d5e6f',
      'GET, PATCH, DELETE, HEAD, OPTIONS',
    ],
  ] as const)('%s %s, a method the path does not take, is 405 with Allow: %s', async (method, path, allow) => {
    const res = await request(t.app)[method](path);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'urn:dukaan:problem:method-not-allowed', title: 'Method Not Allowed', status: 405 });
  });

  test('OPTIONS on a path answers 204 with what it allows; on no path, 404', async () => {
    const res = await request(t.app).options(
      '/api/v1/carts/3f1f8a4e-0c1d-4a5b-9e2f-1a2b3c4d5e6f/items/3f1f8a4e-0c1d-4a5b-9e2f-1a2b3c4d5e6f',
    );
    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe('PATCH, DELETE, OPTIONS');
    expect((await request(t.app).options('/api/v1/nowhere')).status).toBe(404);
    expect((await request(t.app).head('/api/v1/stores/no-such-shop')).status).toBe(404);
  });

  describe('bodies', () => {
    let token: string;
    beforeAll(async () => {
      token = (await newSeller(t.app)).token;
    });

    test('malformed JSON is 400 problem+json', async () => {
      const res = await request(t.app)
        .post('/api/v1/seller/stores')
        .set(...auth(token))
        .set('Content-Type', 'application/json')
        .send('{"name": ');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.detail).toMatch(/JSON/);
    });

    test.each(['[]', '"a string"', 'null', '42'])('a JSON body that is %s instead of an object is 400', async (body) => {
      const res = await request(t.app)
        .post('/api/v1/seller/stores')
        .set(...auth(token))
        .set('Content-Type', 'application/json')
        .send(body);
      expect(res.status).toBe(400);
    });

    test('a body over the limit is 413', async () => {
      const res = await request(t.app)
        .post('/api/v1/seller/stores')
        .set(...auth(token))
        .send({ name: 'x', address: 'a'.repeat(200_000) });
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    test('a body of an unsupported type is 415', async () => {
      const res = await request(t.app)
        .post('/api/v1/seller/stores')
        .set(...auth(token))
        .set('Content-Type', 'text/plain')
        .send('name=x');
      expect(res.status).toBe(415);
      const xml = await request(t.app).post('/api/v1/seller/auth').set('Content-Type', 'application/xml').send('<a/>');
      expect(xml.status).toBe(415);
    });

    test('a malformed percent-escape in the path is 400, not 500', async () => {
      for (const path of ['/api/v1/carts/%E0%A4%A', '/api/v1/stores/%', '/api/v1/seller/stores/%zz']) {
        const res = await request(t.app)
          .get(path)
          .set(...auth(token));
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    });

    test('a compressed request body is 415 (never inflated), even when its bytes are garbage', async () => {
      for (const encoding of ['gzip', 'br', 'deflate']) {
        const res = await request(t.app)
          .post('/api/v1/carts')
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', encoding)
          .send('{"storeLink":"x"}');
        expect(res.status).toBe(415);
      }
    });

    test('a missing body is 400 naming the required fields', async () => {
      const res = await request(t.app)
        .post('/api/v1/seller/stores')
        .set(...auth(token));
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['address', 'name']);
    });

    test('deeply nested junk is a 400, never a 500', async () => {
      let deep: unknown = 'x';
      for (let i = 0; i < 500; i++) deep = { a: deep };
      const res = await request(t.app)
        .post('/api/v1/seller/stores')
        .set(...auth(token))
        .send({ name: deep, address: [1, 2] });
      expect(res.status).toBe(400);
    });
  });

  test('security headers are set, and images may be embedded by storefronts on other origins', async () => {
    const res = await request(t.app).get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  test('CORS is closed by default: no Access-Control headers, even for a preflight', async () => {
    const res = await request(t.app)
      .options('/api/v1/carts')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const get = await request(t.app).get('/healthz').set('Origin', 'https://evil.example');
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('CORS_ORIGINS opens the API to the listed origins only', async () => {
    const open = await buildTestApp({ CORS_ORIGINS: 'https://shop.example, https://admin.example/' });
    try {
      const pre = await request(open.app)
        .options('/api/v1/carts')
        .set('Origin', 'https://shop.example')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type,idempotency-key');
      expect(pre.status).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe('https://shop.example');
      expect(pre.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/);
      const get = await request(open.app).get('/healthz').set('Origin', 'https://admin.example');
      expect(get.headers['access-control-allow-origin']).toBe('https://admin.example');
      expect(get.headers['access-control-expose-headers']).toMatch(/X-Request-Id/);
      const other = await request(open.app).get('/healthz').set('Origin', 'https://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await open.close();
    }
    expect(() => loadConfig({ CORS_ORIGINS: 'not an origin' })).toThrow('CORS_ORIGINS');
  });

  test('/healthz answers 200', async () => {
    expect((await request(t.app).get('/healthz')).status).toBe(200);
  });

  test('/readyz answers 200 when PostgreSQL and Redis answer', async () => {
    const res = await request(t.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', postgres: 'up', redis: 'up' });
  });

  test('/readyz answers 503 when PostgreSQL is unreachable, and store endpoints answer 503', async () => {
    // Port 1 on loopback: nothing listens, so connections are refused at once.
    const down = await buildTestApp({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nothing' });
    try {
      const ready = await request(down.app).get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'unavailable', postgres: 'down', redis: 'up' });
      const seller = await newSeller(t.app);
      const res = await request(down.app)
        .get('/api/v1/seller/stores')
        .set(...auth(seller.token));
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    } finally {
      await down.close();
    }
  });

  test('/readyz answers 503 within a second or two when Redis is unreachable', async () => {
    const down = await buildTestApp({ REDIS_URL: 'redis://127.0.0.1:1/0' });
    try {
      const started = Date.now();
      const ready = await request(down.app).get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ postgres: 'up', redis: 'down' });
      expect(Date.now() - started).toBeLessThan(2000);
      const otp = await request(down.app).post('/api/v1/seller/auth/otp').send({ mobile: '9876543210' });
      expect(otp.status).toBe(503);
    } finally {
      await down.close();
    }
  });

  test('/openapi.json is an OpenAPI 3.1 document of every route, with security schemes and multipart bodies', async () => {
    const res = await request(t.app).get('/openapi.json').expect(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.securitySchemes)).toEqual(expect.arrayContaining(['sellerToken', 'customerToken']));
    for (const [path, method] of [
      ['/api/v1/seller/auth/otp', 'post'],
      ['/api/v1/seller/auth', 'post'],
      ['/api/v1/seller/me', 'get'],
      ['/api/v1/seller/stores', 'post'],
      ['/api/v1/seller/stores', 'get'],
      ['/api/v1/seller/stores/{storeId}', 'patch'],
      ['/api/v1/seller/stores/{storeId}/products', 'post'],
      ['/api/v1/seller/stores/{storeId}/products/{productId}', 'delete'],
      ['/api/v1/seller/stores/{storeId}/categories', 'get'],
      ['/healthz', 'get'],
      ['/readyz', 'get'],
    ] as const) {
      expect(doc.paths[path]?.[method]).toBeDefined();
    }
    const create = doc.paths['/api/v1/seller/stores/{storeId}/products'].post;
    expect(Object.keys(create.requestBody.content)).toEqual(['application/json', 'multipart/form-data']);
    expect(create.security).toEqual([{ sellerToken: [] }]);
    expect(create.responses['201']).toBeDefined();
    expect(create.responses['413']).toBeDefined();
  });

  test('/docs renders the interactive documentation, and every asset it references loads', async () => {
    const res = await request(t.app).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const base = /<base href="([^"]+)">/.exec(res.text)?.[1] ?? '/docs';
    const assets = [...res.text.matchAll(/(?:src|href)="(\.\/[^"]+)"/g)].map((m) => new URL(m[1]!, `http://x${base}`).pathname);
    expect(assets).toEqual(expect.arrayContaining(['/docs/swagger-ui-bundle.js', '/docs/swagger-ui-init.js', '/docs/swagger-ui.css']));
    for (const asset of assets) expect((await request(t.app).get(asset)).status).toBe(200);
    const init = await request(t.app).get('/docs/swagger-ui-init.js');
    expect(init.text).toContain('/openapi.json');
    // Its scripts are allowed, and fetched over the page's own scheme: with upgrade-insecure-requests
    // a browser asked for them over HTTPS on any plain-HTTP host but localhost, and drew a blank page.
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
  });

  test('a store link points at PUBLIC_BASE_URL', async () => {
    const seller = await newSeller(t.app);
    const store = await newStore(t.app, seller);
    expect(store.link).toBe(`http://shop.test/${store.slug}`);
  });
});
