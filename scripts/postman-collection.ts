// Builds postman/dukaan.postman_collection.json (Postman v2.1): `npm run postman:build`.
// The collection walks the whole flow in order, each request asserting with pm.test and passing
// ids and tokens on in collection variables. Kept as code so it reads and reviews like code; a
// test checks the committed JSON is what this script builds.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

type Auth = 'seller' | 'customer' | undefined;
interface Req {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  auth?: Auth;
  json?: unknown;
  form?: Array<{ key: string; value?: string; src?: string; type: 'text' | 'file' }>;
  headers?: Record<string, string>;
  pre?: string[];
  test: string[];
  description?: string;
}

const J = (lines: string[]) => lines;

function item(r: Req) {
  const raw = `{{baseUrl}}${r.path}`;
  const [pathPart, query] = r.path.split('?');
  const request: Record<string, unknown> = {
    method: r.method,
    header: Object.entries({ ...(r.json !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(r.headers ?? {}) }).map(
      ([key, value]) => ({ key, value }),
    ),
    url: {
      raw,
      host: ['{{baseUrl}}'],
      path: pathPart!.split('/').filter(Boolean),
      ...(query ? { query: query.split('&').map((kv) => ({ key: kv.split('=')[0], value: kv.split('=')[1] ?? '' })) } : {}),
    },
  };
  if (r.description) request.description = r.description;
  if (r.auth) request.auth = { type: 'bearer', bearer: [{ key: 'token', value: `{{${r.auth}Token}}`, type: 'string' }] };
  else request.auth = { type: 'noauth' };
  if (r.json !== undefined) request.body = { mode: 'raw', raw: JSON.stringify(r.json, null, 2), options: { raw: { language: 'json' } } };
  if (r.form) request.body = { mode: 'formdata', formdata: r.form };
  const event = [{ listen: 'test', script: { type: 'text/javascript', exec: r.test } }];
  if (r.pre) event.unshift({ listen: 'prerequest', script: { type: 'text/javascript', exec: r.pre } });
  return { name: r.name, event, request };
}

const status = (code: number) => `pm.test('status is ${code}', () => pm.response.to.have.status(${code}));`;
const problem = (code: number) => [
  status(code),
  `pm.test('problem+json', () => pm.expect(pm.response.headers.get('Content-Type')).to.include('application/problem+json'));`,
  `pm.test('problem fields', () => { const b = pm.response.json(); pm.expect(b.status).to.eql(${code}); pm.expect(b.title).to.be.a('string'); });`,
];

const folders: Array<{ name: string; items: Req[] }> = [
  {
    name: 'Seller auth',
    items: [
      {
        name: 'Request a seller OTP',
        method: 'POST',
        path: '/api/v1/seller/auth/otp',
        pre: J([
          '// Fresh mobiles and keys each run, so the collection can run again and again on one database.',
          "const digits = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');",
          "pm.collectionVariables.set('sellerMobile', '98' + digits(8));",
          "pm.collectionVariables.set('customerMobile', '97' + digits(8));",
          "pm.collectionVariables.set('idempotencyKey', 'order-' + digits(12));",
        ]),
        json: { mobile: '{{sellerMobile}}' },
        test: [
          status(202),
          "pm.test('mobile in E.164', () => pm.expect(pm.response.json().mobile).to.eql('+91' + pm.collectionVariables.get('sellerMobile')));",
          "pm.test('expiry given', () => pm.expect(pm.response.json().expiresInSeconds).to.be.above(0));",
        ],
      },
      {
        name: 'Sign in (creates the seller)',
        method: 'POST',
        path: '/api/v1/seller/auth',
        json: { mobile: '{{sellerMobile}}', otp: '1234' },
        description: 'With OTP_MODE=bypass (the default) any 4-6 digit OTP is accepted.',
        test: [
          status(201),
          'const b = pm.response.json();',
          "pm.test('token and account', () => { pm.expect(b.token).to.be.a('string'); pm.expect(b.account.mobile).to.match(/^\\+91\\d{10}$/); });",
          "pm.test('a refresh token and when the access token expires', () => { pm.expect(b.refreshToken).to.be.a('string'); pm.expect(b.expiresIn).to.be.above(0); });",
          "pm.collectionVariables.set('sellerToken', b.token);",
        ],
      },
      {
        name: 'Sign in with a malformed OTP (400)',
        method: 'POST',
        path: '/api/v1/seller/auth',
        json: { mobile: '{{sellerMobile}}', otp: '12' },
        test: [
          ...problem(400),
          "pm.test('errors name the field', () => pm.expect(pm.response.json().errors.map((e) => e.path)).to.include('otp'));",
        ],
      },
      {
        name: 'Who am I',
        method: 'GET',
        path: '/api/v1/seller/me',
        auth: 'seller',
        test: [
          status(200),
          "pm.test('my mobile', () => pm.expect(pm.response.json().mobile).to.eql('+91' + pm.collectionVariables.get('sellerMobile')));",
        ],
      },
      {
        name: 'Who am I, without a token (401)',
        method: 'GET',
        path: '/api/v1/seller/me',
        test: [...problem(401)],
      },
    ],
  },
  {
    name: 'Stores',
    items: [
      {
        name: 'Open a store',
        method: 'POST',
        path: '/api/v1/seller/stores',
        auth: 'seller',
        json: { name: 'Postman Kirana', address: '12 MG Road, Bengaluru' },
        test: [
          status(201),
          'const b = pm.response.json();',
          "pm.test('slug and link', () => { pm.expect(b.slug).to.match(/^postman-kirana/); pm.expect(b.link).to.match(new RegExp('/' + b.slug + '$')); });",
          "pm.collectionVariables.set('storeId', b.id);",
          "pm.collectionVariables.set('storeSlug', b.slug);",
          "pm.collectionVariables.set('storeLink', b.link);",
        ],
      },
      {
        name: 'List my stores',
        method: 'GET',
        path: '/api/v1/seller/stores',
        auth: 'seller',
        test: [
          status(200),
          "pm.test('the new store is listed', () => pm.expect(pm.response.json().items.map((s) => s.id)).to.include(pm.collectionVariables.get('storeId')));",
          "pm.test('list envelope', () => pm.expect(pm.response.json()).to.include.keys('items', 'page', 'limit', 'total'));",
        ],
      },
      {
        name: 'Get the store',
        method: 'GET',
        path: '/api/v1/seller/stores/{{storeId}}',
        auth: 'seller',
        test: [status(200), "pm.test('same store', () => pm.expect(pm.response.json().id).to.eql(pm.collectionVariables.get('storeId')));"],
      },
      {
        name: 'Change the address (the slug stays)',
        method: 'PATCH',
        path: '/api/v1/seller/stores/{{storeId}}',
        auth: 'seller',
        json: { address: '14 MG Road, Bengaluru' },
        test: [
          status(200),
          "pm.test('address changed, slug kept', () => { const b = pm.response.json(); pm.expect(b.address).to.eql('14 MG Road, Bengaluru'); pm.expect(b.slug).to.eql(pm.collectionVariables.get('storeSlug')); });",
        ],
      },
    ],
  },
  {
    name: 'Products',
    items: [
      {
        name: 'Add a product with an image',
        method: 'POST',
        path: '/api/v1/seller/stores/{{storeId}}/products',
        auth: 'seller',
        form: [
          { key: 'name', value: 'Toor Dal 1kg', type: 'text' },
          { key: 'mrp', value: '199', type: 'text' },
          { key: 'salePrice', value: '179.99', type: 'text' },
          { key: 'category', value: 'Groceries', type: 'text' },
          { key: 'stock', value: '25', type: 'text' },
          { key: 'image', src: 'product.png', type: 'file' },
        ],
        description: 'multipart/form-data; the image is checked by its bytes (JPEG, PNG or WebP, at most 5 MB).',
        test: [
          status(201),
          'const b = pm.response.json();',
          "pm.test('image served from /uploads', () => pm.expect(b.image).to.match(/\\/uploads\\/[0-9a-f]{32}\\.png$/));",
          "pm.test('exact money', () => pm.expect(b.salePrice).to.eql(179.99));",
          "pm.collectionVariables.set('imageProductId', b.id);",
        ],
      },
      {
        name: 'Add a product by JSON',
        method: 'POST',
        path: '/api/v1/seller/stores/{{storeId}}/products',
        auth: 'seller',
        json: { name: 'Basmati Rice 1kg', description: 'Aged, long grain', mrp: 150, salePrice: 129.5, category: ' groceries ', stock: 5 },
        test: [
          status(201),
          'const b = pm.response.json();',
          "pm.test('category reused case-insensitively', () => pm.expect(b.category.name).to.eql('Groceries'));",
          "pm.test('stock', () => pm.expect(b.stock).to.eql(5));",
          "pm.collectionVariables.set('productId', b.id);",
        ],
      },
      {
        name: 'Add a product priced above its MRP (400)',
        method: 'POST',
        path: '/api/v1/seller/stores/{{storeId}}/products',
        auth: 'seller',
        json: { name: 'Too Dear', mrp: 100, salePrice: 120, category: 'Groceries' },
        test: [...problem(400), "pm.test('salePrice is named', () => pm.expect(pm.response.json().errors[0].path).to.eql('salePrice'));"],
      },
      {
        name: 'Search products',
        method: 'GET',
        path: '/api/v1/seller/stores/{{storeId}}/products?q=rice&category=GROCERIES',
        auth: 'seller',
        test: [
          status(200),
          "pm.test('finds the rice', () => pm.expect(pm.response.json().items.map((p) => p.id)).to.eql([pm.collectionVariables.get('productId')]));",
        ],
      },
      {
        name: 'Get a product',
        method: 'GET',
        path: '/api/v1/seller/stores/{{storeId}}/products/{{productId}}',
        auth: 'seller',
        test: [status(200), "pm.test('same product', () => pm.expect(pm.response.json().name).to.eql('Basmati Rice 1kg'));"],
      },
      {
        name: 'Change a product',
        method: 'PATCH',
        path: '/api/v1/seller/stores/{{storeId}}/products/{{productId}}',
        auth: 'seller',
        json: { description: 'Aged two years, long grain' },
        test: [status(200), "pm.test('changed', () => pm.expect(pm.response.json().description).to.eql('Aged two years, long grain'));"],
      },
      {
        name: 'Categories with counts',
        method: 'GET',
        path: '/api/v1/seller/stores/{{storeId}}/categories',
        auth: 'seller',
        test: [
          status(200),
          "pm.test('one category, two products', () => pm.expect(pm.response.json().items).to.eql([{ id: pm.response.json().items[0].id, name: 'Groceries', productCount: 2 }]));",
        ],
      },
    ],
  },
  {
    name: 'Catalog',
    items: [
      {
        name: 'Open the store by its link',
        method: 'GET',
        path: '/api/v1/stores/{{storeSlug}}',
        test: [
          status(200),
          "pm.test('the store', () => pm.expect(pm.response.json().link).to.eql(pm.collectionVariables.get('storeLink')));",
        ],
      },
      {
        name: 'Browse the catalog',
        method: 'GET',
        path: '/api/v1/stores/{{storeSlug}}/catalog',
        test: [
          status(200),
          'const b = pm.response.json();',
          "pm.test('products by category, by name', () => { pm.expect(b.categories[0].name).to.eql('Groceries'); pm.expect(b.categories[0].products.map((p) => p.name)).to.eql(['Basmati Rice 1kg', 'Toor Dal 1kg']); });",
          "pm.test('has an ETag', () => pm.expect(pm.response.headers.get('ETag')).to.be.a('string'));",
          "pm.collectionVariables.set('catalogEtag', pm.response.headers.get('ETag'));",
        ],
      },
      {
        name: 'Browse again with If-None-Match (304)',
        method: 'GET',
        path: '/api/v1/stores/{{storeSlug}}/catalog',
        headers: { 'If-None-Match': '{{catalogEtag}}' },
        test: [status(304)],
      },
    ],
  },
  {
    name: 'Cart',
    items: [
      {
        name: 'Start a cart from the link',
        method: 'POST',
        path: '/api/v1/carts',
        json: { storeLink: '{{storeLink}}' },
        test: [
          status(201),
          'const b = pm.response.json();',
          "pm.test('empty cart of the store', () => { pm.expect(b.items).to.eql([]); pm.expect(b.storeId).to.eql(pm.collectionVariables.get('storeId')); });",
          "pm.collectionVariables.set('cartId', b.id);",
        ],
      },
      {
        name: 'Add 2 of the rice',
        method: 'POST',
        path: '/api/v1/carts/{{cartId}}/items',
        json: { productId: '{{productId}}', qty: 2, storeLink: '{{storeSlug}}' },
        test: [
          status(200),
          "pm.test('2 items, exact total', () => { const b = pm.response.json(); pm.expect(b.itemCount).to.eql(2); pm.expect(b.subtotal).to.eql(259); });",
        ],
      },
      {
        name: 'Add 1 of the dal',
        method: 'POST',
        path: '/api/v1/carts/{{cartId}}/items',
        json: { productId: '{{imageProductId}}', qty: 1, storeLink: '{{storeSlug}}' },
        test: [status(200), "pm.test('two lines', () => pm.expect(pm.response.json().items).to.have.lengthOf(2));"],
      },
      {
        name: 'Set the rice to 3',
        method: 'PATCH',
        path: '/api/v1/carts/{{cartId}}/items/{{productId}}',
        json: { qty: 3 },
        test: [
          status(200),
          "pm.test('3 of the rice', () => pm.expect(pm.response.json().items.find((i) => i.productId === pm.collectionVariables.get('productId')).qty).to.eql(3));",
        ],
      },
      {
        name: 'Remove the dal',
        method: 'DELETE',
        path: '/api/v1/carts/{{cartId}}/items/{{imageProductId}}',
        test: [status(200), "pm.test('one line left', () => pm.expect(pm.response.json().items).to.have.lengthOf(1));"],
      },
      {
        name: 'Add more rice than the stock (409)',
        method: 'POST',
        path: '/api/v1/carts/{{cartId}}/items',
        json: { productId: '{{productId}}', qty: 10, storeLink: '{{storeSlug}}' },
        test: [...problem(409)],
      },
      {
        name: 'Get the cart',
        method: 'GET',
        path: '/api/v1/carts/{{cartId}}',
        test: [
          status(200),
          "pm.test('totals', () => { const b = pm.response.json(); pm.expect(b.itemCount).to.eql(3); pm.expect(b.subtotal).to.eql(388.5); pm.expect(b.mrpTotal).to.eql(450); pm.expect(b.savings).to.eql(61.5); });",
        ],
      },
    ],
  },
  {
    name: 'Customer',
    items: [
      {
        name: 'Request a customer OTP',
        method: 'POST',
        path: '/api/v1/customer/auth/otp',
        json: { mobile: '{{customerMobile}}' },
        test: [status(202)],
      },
      {
        name: 'Sign in (creates the customer)',
        method: 'POST',
        path: '/api/v1/customer/auth',
        json: { mobile: '{{customerMobile}}', otp: '1234' },
        test: [
          status(201),
          'const b = pm.response.json();',
          "pm.test('customer', () => pm.expect(b.customer.mobile).to.eql('+91' + pm.collectionVariables.get('customerMobile')));",
          "pm.collectionVariables.set('customerToken', b.token);",
        ],
      },
      {
        name: 'Save name and address',
        method: 'PATCH',
        path: '/api/v1/customer/me',
        auth: 'customer',
        json: { name: 'Asha', address: { line1: '7 Park Street', city: 'Kolkata', state: 'West Bengal', pincode: '700016' } },
        test: [status(200), "pm.test('saved', () => pm.expect(pm.response.json().address.pincode).to.eql('700016'));"],
      },
      {
        name: 'Who am I',
        method: 'GET',
        path: '/api/v1/customer/me',
        auth: 'customer',
        test: [status(200), "pm.test('name', () => pm.expect(pm.response.json().name).to.eql('Asha'));"],
      },
    ],
  },
  {
    name: 'Orders',
    items: [
      {
        name: 'Place the order (Idempotency-Key)',
        method: 'POST',
        path: '/api/v1/orders',
        auth: 'customer',
        headers: { 'Idempotency-Key': '{{idempotencyKey}}' },
        json: { cartId: '{{cartId}}' },
        test: [
          status(201),
          'const b = pm.response.json();',
          "pm.test('pending, exact totals, saved address', () => { pm.expect(b.status).to.eql('PENDING'); pm.expect(b.subtotal).to.eql(388.5); pm.expect(b.address.city).to.eql('Kolkata'); });",
          "pm.collectionVariables.set('orderId', b.id);",
        ],
      },
      {
        name: 'Place it again with the same key (same order)',
        method: 'POST',
        path: '/api/v1/orders',
        auth: 'customer',
        headers: { 'Idempotency-Key': '{{idempotencyKey}}' },
        json: { cartId: '{{cartId}}' },
        test: [status(201), "pm.test('same order', () => pm.expect(pm.response.json().id).to.eql(pm.collectionVariables.get('orderId')));"],
      },
      {
        name: 'The cart is gone',
        method: 'GET',
        path: '/api/v1/carts/{{cartId}}',
        test: [...problem(404)],
      },
      {
        name: 'My orders',
        method: 'GET',
        path: '/api/v1/orders',
        auth: 'customer',
        test: [
          status(200),
          "pm.test('listed', () => pm.expect(pm.response.json().items.map((o) => o.id)).to.include(pm.collectionVariables.get('orderId')));",
        ],
      },
      {
        name: 'My order',
        method: 'GET',
        path: '/api/v1/orders/{{orderId}}',
        auth: 'customer',
        test: [status(200), "pm.test('lines', () => pm.expect(pm.response.json().items[0].qty).to.eql(3));"],
      },
      {
        name: 'An order, without a token (401)',
        method: 'GET',
        path: '/api/v1/orders/{{orderId}}',
        test: [...problem(401)],
      },
    ],
  },
  {
    name: 'Seller orders',
    items: [
      {
        name: 'New orders',
        method: 'GET',
        path: '/api/v1/seller/stores/{{storeId}}/orders?status=PENDING',
        auth: 'seller',
        test: [
          status(200),
          "pm.test('the order is pending', () => pm.expect(pm.response.json().items.map((o) => o.id)).to.include(pm.collectionVariables.get('orderId')));",
        ],
      },
      {
        name: 'Summary by status',
        method: 'GET',
        path: '/api/v1/seller/stores/{{storeId}}/orders/summary',
        auth: 'seller',
        test: [
          status(200),
          "pm.test('all six, one pending', () => pm.expect(pm.response.json()).to.eql({ PENDING: 1, ACCEPTED: 0, REJECTED: 0, CANCELLED: 0, SHIPPED: 0, DELIVERED: 0 }));",
        ],
      },
      {
        name: 'Accept',
        method: 'PATCH',
        path: '/api/v1/seller/stores/{{storeId}}/orders/{{orderId}}',
        auth: 'seller',
        json: { status: 'ACCEPTED' },
        test: [status(200), "pm.test('accepted', () => pm.expect(pm.response.json().status).to.eql('ACCEPTED'));"],
      },
      {
        name: 'Ship',
        method: 'PATCH',
        path: '/api/v1/seller/stores/{{storeId}}/orders/{{orderId}}',
        auth: 'seller',
        json: { status: 'SHIPPED' },
        test: [status(200), "pm.test('shipped', () => pm.expect(pm.response.json().status).to.eql('SHIPPED'));"],
      },
      {
        name: 'Move a shipped order back to PENDING (409)',
        method: 'PATCH',
        path: '/api/v1/seller/stores/{{storeId}}/orders/{{orderId}}',
        auth: 'seller',
        json: { status: 'PENDING' },
        test: [...problem(409)],
      },
      {
        name: 'Customers of the store',
        method: 'GET',
        path: '/api/v1/seller/stores/{{storeId}}/customers',
        auth: 'seller',
        test: [
          status(200),
          "pm.test('one customer, one order', () => { const c = pm.response.json().items[0]; pm.expect(c.mobile).to.eql('+91' + pm.collectionVariables.get('customerMobile')); pm.expect(c.orderCount).to.eql(1); });",
        ],
      },
      {
        name: 'The customer sees it shipped',
        method: 'GET',
        path: '/api/v1/orders/{{orderId}}',
        auth: 'customer',
        test: [status(200), "pm.test('shipped', () => pm.expect(pm.response.json().status).to.eql('SHIPPED'));"],
      },
    ],
  },
  {
    name: 'Staff',
    items: [
      {
        name: 'Add a staff member with the orders permission',
        method: 'POST',
        path: '/api/v1/seller/stores/{{storeId}}/staff',
        auth: 'seller',
        pre: J([
          "const digits = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');",
          "pm.collectionVariables.set('staffMobile', '95' + digits(8));",
        ]),
        json: { mobile: '{{staffMobile}}', name: 'Suresh', permissions: ['orders'] },
        description:
          "Owner only. The mobile's seller account (new or existing) finds the store among its own, as staff. 409 for the owner's mobile, a mobile already on the staff, or a 21st member.",
        test: [
          status(201),
          'const b = pm.response.json();',
          "pm.test('member', () => pm.expect(b.permissions).to.eql(['orders']));",
          "pm.collectionVariables.set('staffId', b.id);",
        ],
      },
      {
        name: 'The staff member signs in with their own OTP',
        method: 'POST',
        path: '/api/v1/seller/auth',
        json: { mobile: '{{staffMobile}}', otp: '1234' },
        test: [status(201), "pm.collectionVariables.set('staffToken', pm.response.json().token);"],
      },
      {
        name: 'They see the store, as staff',
        method: 'GET',
        path: '/api/v1/seller/stores',
        headers: { Authorization: 'Bearer {{staffToken}}' },
        test: [
          status(200),
          "pm.test('role and permissions', () => pm.expect(pm.response.json().items[0]).to.include({ id: pm.collectionVariables.get('storeId'), role: 'staff' }));",
        ],
      },
      {
        name: 'They take an order at the counter',
        method: 'POST',
        path: '/api/v1/seller/stores/{{storeId}}/orders',
        headers: { Authorization: 'Bearer {{staffToken}}' },
        json: { customer: { mobile: '{{customerMobile}}' }, items: [{ productId: '{{productId}}', qty: 1 }] },
        description: 'ACCEPTED at once, stock taken as checkout takes it; without an address it is picked up at the shop.',
        test: [
          status(201),
          'const b = pm.response.json();',
          "pm.test('accepted, by staff', () => { pm.expect(b.status).to.eql('ACCEPTED'); pm.expect(b.history[0].by.role).to.eql('staff'); });",
        ],
      },
      {
        name: 'They may not change products (403)',
        method: 'PATCH',
        path: '/api/v1/seller/stores/{{storeId}}/products/{{productId}}',
        headers: { Authorization: 'Bearer {{staffToken}}' },
        json: { salePrice: 1 },
        test: problem(403),
      },
      {
        name: 'The owner removes them',
        method: 'DELETE',
        path: '/api/v1/seller/stores/{{storeId}}/staff/{{staffId}}',
        auth: 'seller',
        test: [status(204)],
      },
      {
        name: 'Their next request is 404, with the token they hold',
        method: 'GET',
        path: '/api/v1/seller/stores/{{storeId}}/orders/summary',
        headers: { Authorization: 'Bearer {{staffToken}}' },
        test: problem(404),
      },
    ],
  },
  {
    name: 'Webhooks',
    items: [
      {
        name: 'Register a webhook for new orders and status changes',
        method: 'POST',
        path: '/api/v1/seller/stores/{{storeId}}/webhooks',
        auth: 'seller',
        json: { url: 'https://93.184.215.14/dukaan-hook', events: ['order.created', 'order.status_changed'] },
        description:
          'Permission settings. Each matching event is POSTed with Standard Webhooks headers, signed with the secret shown only here. The URL must resolve to public addresses only; at most 10 per store (409).',
        test: [
          status(201),
          'const b = pm.response.json();',
          "pm.test('secret shown once', () => pm.expect(b.secret).to.match(/^whsec_/));",
          "pm.collectionVariables.set('webhookId', b.id);",
        ],
      },
      {
        name: 'A loopback or private address is refused (400)',
        method: 'POST',
        path: '/api/v1/seller/stores/{{storeId}}/webhooks',
        auth: 'seller',
        json: { url: 'http://127.0.0.1:8080/hook', events: ['order.created'] },
        test: problem(400),
      },
      {
        name: "The store's webhooks, without secrets",
        method: 'GET',
        path: '/api/v1/seller/stores/{{storeId}}/webhooks',
        auth: 'seller',
        test: [
          status(200),
          'const b = pm.response.json();',
          "pm.test('listed', () => pm.expect(b.items.map((h) => h.id)).to.include(pm.collectionVariables.get('webhookId')));",
          "pm.test('no secret', () => pm.expect(JSON.stringify(b)).not.to.include('whsec_'));",
        ],
      },
      {
        name: "The webhook's deliveries, newest first",
        method: 'GET',
        path: '/api/v1/seller/stores/{{storeId}}/webhooks/{{webhookId}}/deliveries',
        auth: 'seller',
        test: [status(200), "pm.test('a list', () => pm.expect(pm.response.json().items).to.be.an('array'));"],
      },
      {
        name: 'Delete it',
        method: 'DELETE',
        path: '/api/v1/seller/stores/{{storeId}}/webhooks/{{webhookId}}',
        auth: 'seller',
        test: [status(204)],
      },
    ],
  },
  {
    name: 'Sessions',
    items: [
      {
        name: 'Sign in again on another phone',
        method: 'POST',
        path: '/api/v1/customer/auth',
        json: { mobile: '{{customerMobile}}', otp: '1234' },
        test: [
          status(200),
          'const b = pm.response.json();',
          "pm.collectionVariables.set('phoneToken', b.token);",
          "pm.collectionVariables.set('refreshToken', b.refreshToken);",
        ],
      },
      {
        name: 'Refresh: the next access and refresh tokens',
        method: 'POST',
        path: '/api/v1/auth/refresh',
        json: { refreshToken: '{{refreshToken}}' },
        description: 'Access tokens live ACCESS_TOKEN_TTL (15 minutes); a refresh token works once and answers the next one.',
        test: [
          status(200),
          'const b = pm.response.json();',
          "pm.test('a new pair', () => { pm.expect(b.refreshToken).to.not.eql(pm.collectionVariables.get('refreshToken')); pm.expect(b.expiresIn).to.be.above(0); });",
          "pm.collectionVariables.set('usedRefreshToken', pm.collectionVariables.get('refreshToken'));",
          "pm.collectionVariables.set('phoneToken', b.token);",
          "pm.collectionVariables.set('refreshToken', b.refreshToken);",
        ],
      },
      {
        name: 'Log out of this phone',
        method: 'POST',
        path: '/api/v1/auth/logout',
        headers: { Authorization: 'Bearer {{phoneToken}}' },
        description:
          'Ends this session on every instance: its access and refresh tokens are 401 from now on. { "all": true } ends every session of the account.',
        test: [status(204)],
      },
      {
        name: 'The logged-out token (401)',
        method: 'GET',
        path: '/api/v1/customer/me',
        headers: { Authorization: 'Bearer {{phoneToken}}' },
        test: problem(401),
      },
      {
        name: 'Its refresh token (401)',
        method: 'POST',
        path: '/api/v1/auth/refresh',
        json: { refreshToken: '{{refreshToken}}' },
        test: problem(401),
      },
      {
        name: 'A used refresh token, presented again (401)',
        method: 'POST',
        path: '/api/v1/auth/refresh',
        json: { refreshToken: '{{usedRefreshToken}}' },
        description:
          'A refresh token works once. Presented again it is 401, and its whole session ends: that is what a stolen token looks like.',
        test: problem(401),
      },
      {
        name: 'The first phone is still signed in',
        method: 'GET',
        path: '/api/v1/customer/me',
        auth: 'customer',
        test: [status(200)],
      },
      {
        name: 'Sign in with an OpenID Connect ID token',
        method: 'POST',
        path: '/api/v1/customer/auth/oidc',
        json: { idToken: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' },
        description:
          'For apps that sign people in with an OpenID provider (OIDC_ISSUER, OIDC_CLIENT_ID). Answers as POST /customer/auth. ' +
          'Without that configuration the endpoint is 404; with it, this unsigned token is refused (401).',
        test: [
          "pm.test('refused: not configured (404) or not a valid token (401)', () => pm.expect([401, 404]).to.include(pm.response.code));",
        ],
      },
      {
        name: 'A new customer deletes the account',
        method: 'DELETE',
        path: '/api/v1/customer/me',
        headers: { Authorization: 'Bearer {{leavingToken}}' },
        pre: J([
          "const digits = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');",
          "pm.sendRequest({ url: pm.variables.get('baseUrl') + '/api/v1/customer/auth', method: 'POST', header: { 'Content-Type': 'application/json' },",
          "  body: { mode: 'raw', raw: JSON.stringify({ mobile: '96' + digits(8), otp: '1234' }) } },",
          "  (err, res) => pm.collectionVariables.set('leavingToken', res.json().token));",
        ]),
        description: '409 while an order is open. Erases name, mobile and address; sellers keep past orders without them.',
        test: [status(204)],
      },
    ],
  },
  {
    name: 'Operations',
    items: [
      { name: 'Liveness', method: 'GET', path: '/healthz', test: [status(200)] },
      {
        name: 'Readiness',
        method: 'GET',
        path: '/readyz',
        test: [status(200), "pm.test('both up', () => pm.expect(pm.response.json()).to.include({ postgres: 'up', redis: 'up' }));"],
      },
      {
        name: 'OpenAPI document',
        method: 'GET',
        path: '/openapi.json',
        test: [status(200), "pm.test('OpenAPI 3.1', () => pm.expect(pm.response.json().openapi).to.eql('3.1.0'));"],
      },
      {
        name: 'Interactive docs',
        method: 'GET',
        path: '/docs',
        test: [status(200), "pm.test('HTML', () => pm.expect(pm.response.headers.get('Content-Type')).to.include('text/html'));"],
      },
    ],
  },
];

export function buildCollection() {
  return {
    info: {
      name: 'Dukaan API',
      description:
        'The whole flow, in order: a seller signs in, opens a store and lists products; a buyer browses, fills a cart, signs in and orders; the seller accepts and ships. Run it with newman (`npm run test:api`) or from Postman with the environment beside it.',
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    item: folders.map((f) => ({ name: f.name, item: f.items.map(item) })),
    variable: [
      { key: 'baseUrl', value: 'http://localhost:3000' },
      ...[
        'sellerMobile',
        'customerMobile',
        'idempotencyKey',
        'sellerToken',
        'customerToken',
        'phoneToken',
        'staffMobile',
        'staffId',
        'staffToken',
        'webhookId',
        'refreshToken',
        'usedRefreshToken',
        'leavingToken',
        'storeId',
        'storeSlug',
        'storeLink',
        'productId',
        'imageProductId',
        'catalogEtag',
        'cartId',
        'orderId',
      ].map((key) => ({ key, value: '' })),
    ],
  };
}

export const COLLECTION_PATH = path.resolve(__dirname, '../postman/dukaan.postman_collection.json');

if (require.main === module) {
  writeFileSync(COLLECTION_PATH, `${JSON.stringify(buildCollection(), null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), COLLECTION_PATH)}`);
}
