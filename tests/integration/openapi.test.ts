import { readFileSync } from 'node:fs';
import request from 'supertest';
import { buildCollection, COLLECTION_PATH } from '../../scripts/postman-collection';
import { buildTestApp, type TestApp } from '../helpers/app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: Json;
  beforeAll(async () => {
    t = await buildTestApp();
    doc = (await request(t.app).get('/openapi.json').expect(200)).body;
  });
  afterAll(() => t.close());

  const operations = () =>
    Object.entries(doc.paths as Json).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] as Json })),
    );

  const resolve = (schema: Json | undefined): Json | undefined =>
    schema?.$ref ? doc.components.schemas[String(schema.$ref).split('/').pop()!] : schema;

  const hasExample = (media: Json | undefined): boolean => {
    if (!media) return false;
    if (media.example !== undefined || media.examples !== undefined) return true;
    const schema = resolve(media.schema);
    return schema?.example !== undefined || schema?.examples !== undefined;
  };

  test('is a valid OpenAPI 3.1 document (checked by a maintained validator)', async () => {
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  test('every operation has a summary, a tag, typed responses and an example', () => {
    const problems: string[] = [];
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!op.summary) problems.push(`${where}: no summary`);
      if (!op.tags?.length) problems.push(`${where}: no tag`);
      const ok = Object.entries(op.responses as Json).filter(([code]) => Number(code) < 400);
      if (ok.length === 0) problems.push(`${where}: no success response`);
      const media = [
        ...Object.values((op.requestBody?.content ?? {}) as Json),
        ...ok.flatMap(([, r]) => Object.values(((r as Json).content ?? {}) as Json)),
      ] as Json[];
      for (const [code, r] of ok) {
        const empty = code === '204' || code === '304' || (code === '404' && path.startsWith('/uploads'));
        if (!empty && !(r as Json).content) problems.push(`${where}: response ${code} has no schema`);
      }
      const params = ((op.parameters ?? []) as Json[]).some((p) => p.example !== undefined || resolve(p.schema)?.example !== undefined);
      // An operation that takes nothing and answers nothing (DELETE /seller/me → 204) has nothing to show.
      const nothingToShow = media.length === 0 && !(op.parameters ?? []).length;
      if (!media.some(hasExample) && !params && !nothingToShow) problems.push(`${where}: no example`);
    }
    expect(problems).toEqual([]);
  });

  test('every route of the contract is documented', () => {
    const documented = new Set(operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`));
    const contract = [
      'POST /api/v1/seller/auth/otp',
      'POST /api/v1/seller/auth',
      'POST /api/v1/customer/auth/otp',
      'POST /api/v1/customer/auth',
      'GET /api/v1/seller/me',
      'POST /api/v1/seller/stores',
      'GET /api/v1/seller/stores',
      'GET /api/v1/seller/stores/{storeId}',
      'PATCH /api/v1/seller/stores/{storeId}',
      'POST /api/v1/seller/stores/{storeId}/products',
      'GET /api/v1/seller/stores/{storeId}/products',
      'GET /api/v1/seller/stores/{storeId}/products/{productId}',
      'PATCH /api/v1/seller/stores/{storeId}/products/{productId}',
      'DELETE /api/v1/seller/stores/{storeId}/products/{productId}',
      'POST /api/v1/seller/stores/{storeId}/products/import',
      'GET /api/v1/seller/stores/{storeId}/categories',
      'GET /api/v1/seller/stores/{storeId}/orders',
      'GET /api/v1/seller/stores/{storeId}/orders/summary',
      'GET /api/v1/seller/stores/{storeId}/orders/{orderId}',
      'PATCH /api/v1/seller/stores/{storeId}/orders/{orderId}',
      'GET /api/v1/seller/stores/{storeId}/customers',
      'GET /api/v1/stores/{slug}',
      'GET /api/v1/stores/{slug}/catalog',
      'POST /api/v1/carts',
      'GET /api/v1/carts/{cartId}',
      'POST /api/v1/carts/{cartId}/items',
      'PATCH /api/v1/carts/{cartId}/items/{productId}',
      'DELETE /api/v1/carts/{cartId}/items/{productId}',
      'GET /api/v1/customer/me',
      'PATCH /api/v1/customer/me',
      'POST /api/v1/orders',
      'GET /api/v1/orders',
      'GET /api/v1/orders/{orderId}',
      'POST /api/v1/orders/{orderId}/cancel',
      'POST /api/v1/auth/refresh',
      'POST /api/v1/auth/logout',
      'DELETE /api/v1/seller/me',
      'DELETE /api/v1/customer/me',
      'POST /api/v1/seller/auth/oidc',
      'POST /api/v1/customer/auth/oidc',
      'GET /api/v1/stores/{slug}/products/{productId}',
      'POST /api/v1/seller/stores/{storeId}/staff',
      'GET /api/v1/seller/stores/{storeId}/staff',
      'PATCH /api/v1/seller/stores/{storeId}/staff/{staffId}',
      'DELETE /api/v1/seller/stores/{storeId}/staff/{staffId}',
      'POST /api/v1/seller/stores/{storeId}/orders',
      'GET /healthz',
      'GET /readyz',
      'GET /openapi.json',
      'GET /docs',
      'GET /uploads/{name}',
    ];
    expect(contract.filter((c) => !documented.has(c))).toEqual([]);
  });

  test('every request of the Postman collection maps to an operation of the document', () => {
    const collection = JSON.parse(readFileSync(COLLECTION_PATH, 'utf8')) as Json;
    const templates = operations().map(({ path, method }) => ({
      method: method.toUpperCase(),
      pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
    const requests: string[] = [];
    const walk = (items: Json[]) => {
      for (const i of items) {
        if (i.item) walk(i.item);
        else requests.push(`${i.request.method} ${String(i.request.url.raw).replace('{{baseUrl}}', '').split('?')[0]}`);
      }
    };
    walk(collection.item);
    expect(requests.length).toBeGreaterThan(40);
    const unmatched = requests.filter((r) => {
      const [method, path] = r.split(' ');
      return !templates.some((t) => t.method === method && t.pattern.test(path!));
    });
    expect(unmatched).toEqual([]);
  });

  test('the committed collection is what scripts/postman-collection.ts builds', () => {
    expect(JSON.parse(readFileSync(COLLECTION_PATH, 'utf8'))).toEqual(JSON.parse(JSON.stringify(buildCollection())));
  });

  test('the collection is organised in the documented folders, in flow order', () => {
    const collection = JSON.parse(readFileSync(COLLECTION_PATH, 'utf8')) as Json;
    expect(collection.info.schema).toMatch(/v2\.1\.0/);
    expect(collection.variable.map((v: Json) => v.key)).toContain('baseUrl');
    expect(collection.item.map((f: Json) => f.name)).toEqual([
      'Seller auth',
      'Stores',
      'Products',
      'Catalog',
      'Cart',
      'Customer',
      'Orders',
      'Seller orders',
      'Staff',
      'Webhooks',
      'Sessions',
      'Operations',
    ]);
    for (const folder of collection.item) {
      for (const i of folder.item) {
        const tests = i.event.find((e: Json) => e.listen === 'test').script.exec.join('\n');
        expect(tests).toMatch(/pm\.test\(/);
      }
    }
  });
});
