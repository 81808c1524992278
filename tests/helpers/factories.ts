// Small factories: each test makes the data it needs, through the API, with fresh mobiles.
import { randomInt } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';

export function randomMobile(): string {
  return `9${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
}

export interface Seller {
  token: string;
  id: string;
  mobile: string;
}

export interface StoreRef {
  id: string;
  slug: string;
  link: string;
  name: string;
}

export async function newSeller(app: Express, mobile = randomMobile()): Promise<Seller> {
  const res = await request(app).post('/api/v1/seller/auth').send({ mobile, otp: '1234' }).expect(201);
  return { token: res.body.token, id: res.body.account.id, mobile: res.body.account.mobile };
}

export function auth(token: string): [string, string] {
  return ['Authorization', `Bearer ${token}`];
}

export async function newStore(app: Express, seller: Seller, body: Partial<{ name: string; address: string }> = {}): Promise<StoreRef> {
  const res = await request(app)
    .post('/api/v1/seller/stores')
    .set(...auth(seller.token))
    .send({ name: 'Test Kirana', address: '1 Market Road, Pune', ...body })
    .expect(201);
  return res.body;
}

export async function newProduct(app: Express, seller: Seller, store: StoreRef, body: Record<string, unknown> = {}) {
  const res = await request(app)
    .post(`/api/v1/seller/stores/${store.id}/products`)
    .set(...auth(seller.token))
    .send({ name: 'Basmati Rice 1kg', mrp: 150, salePrice: 129.5, category: 'Groceries', ...body })
    .expect(201);
  return res.body as { id: string; name: string; category: { id: string; name: string }; image: string | null; [k: string]: unknown };
}

/** The owner adds `mobile` to the store's staff with these permissions (201); the new member's answer. */
export async function addStaff(app: Express, owner: Seller, store: { id: string }, mobile: string, permissions: string[]) {
  const res = await request(app)
    .post(`/api/v1/seller/stores/${store.id}/staff`)
    .set(...auth(owner.token))
    .send({ mobile, permissions })
    .expect(201);
  return res.body as { id: string; mobile: string; permissions: string[]; [k: string]: unknown };
}

export interface Customer {
  token: string;
  id: string;
  mobile: string;
}

export async function newCustomer(app: Express, mobile = randomMobile()): Promise<Customer> {
  const res = await request(app).post('/api/v1/customer/auth').send({ mobile, otp: '1234' }).expect(201);
  return { token: res.body.token, id: res.body.customer.id, mobile: res.body.customer.mobile };
}

export const ADDRESS = { line1: '12 MG Road', city: 'Bengaluru', state: 'Karnataka', pincode: '560001' };

export async function newCart(app: Express, store: StoreRef): Promise<string> {
  const res = await request(app).post('/api/v1/carts').send({ storeLink: store.slug }).expect(201);
  return res.body.id;
}

export function addToCart(app: Express, cartId: string, store: StoreRef, productId: string, qty = 1) {
  return request(app).post(`/api/v1/carts/${cartId}/items`).send({ productId, qty, storeLink: store.slug });
}

/** A cart holding the given products, ready to order. */
export async function filledCart(app: Express, store: StoreRef, lines: Array<[string, number]>): Promise<string> {
  const cartId = await newCart(app, store);
  for (const [productId, qty] of lines) await addToCart(app, cartId, store, productId, qty).expect(200);
  return cartId;
}

export function placeOrder(app: Express, customer: Customer, cartId: string, extra: { address?: object; key?: string } = {}) {
  const req = request(app)
    .post('/api/v1/orders')
    .set(...auth(customer.token));
  if (extra.key !== undefined) req.set('Idempotency-Key', extra.key);
  return req.send({ cartId, address: extra.address ?? ADDRESS });
}
